package org.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.cli.dashboard.DashboardHistory;
import org.millrace.cli.dashboard.DashboardTopicReader;
import org.millrace.cli.local.LocalPipeline;
import org.millrace.cli.status.StatusReader;
import org.millrace.cli.status.StatusReport;
import org.millrace.processors.Stage;
import org.millrace.processors.Stages;
import org.millrace.processors.StreamsStage;
import org.millrace.processors.tokenize.TokenizeKeys;
import org.millrace.producers.feed.Feeder;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.kafka.EmbeddedKafkaBroker;
import org.millrace.runtime.kafka.SaslSslSecurity;
import org.millrace.runtime.lag.LagMetrics;
import org.millrace.runtime.metrics.MetricsEndpoint;
import org.millrace.runtime.testing.PseudoText;
import org.millrace.runtime.testing.TestCertificates;
import org.millrace.runtime.testing.TopicRecords;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.TokenizedDocument;
import org.millrace.tokenizer.ByteLevelTokenizer;
import org.millrace.trainer.ContinuousTrainer;
import org.millrace.trainer.TrainerClients;
import org.millrace.trainer.TrainerKeys;
import org.millrace.trainer.TrainerSettings;

/**
 * The pipeline against a broker that accepts SASL_SSL alone (SCRAM-SHA-512, TLS with a certificate
 * authority made here) and authorizes every request by ACLs: the feeder, each stage, the trainer
 * and {@code status} log in as principals of their own, each allowed only its topics, groups and
 * transactional ids (docs/operations.md lists them), and take their security settings from the
 * {@code kafka.} keys alone. Documents go through to tokens and the trainer trains on them; a
 * principal without ACLs is refused with an error that says so.
 */
public class SecuredPipelineIT {

  private static final int DOCUMENTS = 12;
  private static final String ADMIN = "admin";
  private static final List<String> USERS =
      List.of("feeder", "clean", "dedup", "tokenize", "trainer", "status", "stranger");

  @TempDir static Path folder;
  private static SaslSslSecurity security;
  private static EmbeddedKafkaBroker broker;
  private static Topics topics;
  private static final List<StreamsStage> stages = new ArrayList<>();
  private static final List<MetricsEndpoint> endpoints = new ArrayList<>();

  @BeforeAll
  static void aSecuredClusterWithAnAclPerPrincipal() throws Exception {
    TestCertificates certificates = TestCertificates.create(folder.resolve("tls"));
    Map<String, String> passwords = new HashMap<>();
    for (String user : concat(List.of("broker", ADMIN), USERS)) {
      passwords.put(user, user + "-" + Long.toHexString(Double.doubleToLongBits(Math.random())));
    }
    security =
        new SaslSslSecurity(
            certificates.keyStore(),
            certificates.trustStore(),
            certificates.password(),
            "broker",
            Set.of(ADMIN),
            passwords);
    broker = EmbeddedKafkaBroker.startSecured(folder.resolve("kafka"), 0, Map.of(), security);
    MillraceConfig admin = configOf(ADMIN);
    topics = Topics.of(admin);
    LocalPipeline.ensureTopics(admin); // millrace topics, as the administrator
    try (Admin client = Admin.create(KafkaClientProperties.admin(admin))) {
      client.createAcls(acls()).all().get();
    }
  }

  @AfterAll
  static void stop() {
    stages.forEach(StreamsStage::close);
    endpoints.forEach(MetricsEndpoint::close);
    if (broker != null) {
      broker.close();
    }
  }

  /**
   * What each principal may do: its input topic read in its consumer group, its output topics
   * written, its transactional ids (Kafka Streams' exactly-once producers are named after the
   * application id), and for dedup its own internal topics.
   */
  private static List<AclBinding> acls() {
    List<AclBinding> acls = new ArrayList<>();
    allow(acls, "feeder", topic(topics.raw()), AclOperation.WRITE);
    allow(acls, "feeder", topic(topics.rejected()), AclOperation.WRITE);
    // the feeder's progress is written in its transactions and read back when it resumes
    allow(acls, "feeder", topic(topics.feedProgress()), AclOperation.WRITE);
    allow(acls, "feeder", topic(topics.feedProgress()), AclOperation.READ);
    allow(
        acls,
        "feeder",
        prefixed(ResourceType.TRANSACTIONAL_ID, "millrace-feed-"),
        AclOperation.WRITE);

    streamsStage(acls, Stages.CLEAN, List.of(topics.clean(), topics.rejected()));
    streamsStage(
        acls, Stages.DEDUP, List.of(topics.unique(), topics.duplicates(), topics.rejected()));
    allow(acls, "dedup", prefixed(ResourceType.TOPIC, "millrace-dedup-"), AclOperation.ALL);
    streamsStage(acls, Stages.TOKENIZE, List.of(topics.tokens(), topics.rejected()));
    // the tokenizer guard reads the tokens already written, to refuse a change of tokenizer
    allow(acls, "tokenize", topic(topics.tokens()), AclOperation.READ);

    allow(acls, "trainer", topic(topics.tokens()), AclOperation.READ);
    allow(acls, "trainer", topic(topics.progress()), AclOperation.WRITE);
    allow(acls, "trainer", topic(topics.rejected()), AclOperation.WRITE);
    allow(acls, "trainer", group(TrainerSettings.groupOf("default")), AclOperation.READ);

    for (String topic : topics.all()) {
      allow(acls, "status", topic(topic), AclOperation.DESCRIBE);
    }
    for (String topic : List.of(topics.raw(), topics.clean(), topics.unique(), topics.tokens())) {
      allow(acls, "status", topic(topic), AclOperation.READ);
    }
    allow(acls, "status", topic(topics.progress()), AclOperation.READ);
    allow(acls, "status", topic(topics.rejected()), AclOperation.READ); // the dashboard's rejects
    // the stages' internal topics, for what waits between two steps of a stage (internalLag)
    allow(acls, "status", prefixed(ResourceType.TOPIC, "millrace-"), AclOperation.DESCRIBE);
    allow(acls, "status", prefixed(ResourceType.GROUP, "millrace-"), AclOperation.DESCRIBE);
    return acls;
  }

  private static void streamsStage(List<AclBinding> acls, Stage stage, List<String> outputs) {
    String user = stage.name();
    allow(acls, user, topic(stage.inputTopic(configOf(ADMIN))), AclOperation.READ);
    for (String output : outputs) {
      allow(acls, user, topic(output), AclOperation.WRITE);
    }
    allow(acls, user, group(stage.applicationId()), AclOperation.READ);
    allow(
        acls,
        user,
        prefixed(ResourceType.TRANSACTIONAL_ID, stage.applicationId() + "-"),
        AclOperation.WRITE);
  }

  private static void allow(
      List<AclBinding> acls, String user, ResourcePattern resource, AclOperation operation) {
    acls.add(
        new AclBinding(
            resource,
            new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW)));
  }

  private static ResourcePattern topic(String name) {
    return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
  }

  private static ResourcePattern group(String name) {
    return new ResourcePattern(ResourceType.GROUP, name, PatternType.LITERAL);
  }

  private static ResourcePattern prefixed(ResourceType type, String prefix) {
    return new ResourcePattern(type, prefix, PatternType.PREFIXED);
  }

  /**
   * A configuration that logs in as {@code user}: the security settings come through the {@code
   * kafka.} keys alone, as a user's properties file gives them.
   */
  private static MillraceConfig configOf(String user) {
    return MillraceConfig.of(settingsOf(user));
  }

  private static Map<String, String> settingsOf(String user) {
    Map<String, String> settings = new HashMap<>();
    settings.put(MillraceConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
    settings.put(MillraceConfig.DATA_DIR, folder.resolve("data-" + user).toString());
    settings.put(MillraceConfig.METRICS_PORT, "-1");
    settings.put(TokenizeKeys.VALIDATION_FRACTION, "0");
    settings.put(TrainerKeys.WARMUP_STEPS, "2");
    settings.put(TrainerKeys.PEAK_FLOPS, "1e10"); // not measured: MFU is not what this tests
    security.clientProperties(user).forEach((key, value) -> settings.put("kafka." + key, value));
    return SmallPipeline.settings(settings);
  }

  @Test
  void eachStageAsItsOwnPrincipalCarriesDocumentsToTheTrainer() throws Exception {
    // what `millrace clean` (StageCommand) does, each stage under its own principal: the topics,
    // the metrics endpoint with the lag reader, the stage
    for (Stage stage : Stages.ALL) {
      MillraceConfig config = configOf(stage.name()).with(Map.of(MillraceConfig.METRICS_PORT, "0"));
      LocalPipeline.ensureTopics(config);
      MetricsEndpoint endpoint = MetricsEndpoint.start(config).orElseThrow();
      endpoints.add(endpoint);
      StreamsStage running = stage.start(config);
      stages.add(running);
      running.bindMetrics(endpoint.registry());
      endpoint.watchLag(
          config, List.of(new LagMetrics.Watched(stage.applicationId(), stage.inputTopic(config))));
    }
    Path corpus = Files.createDirectories(folder.resolve("corpus"));
    Set<String> texts = new HashSet<>();
    for (int i = 0; i < DOCUMENTS; i++) {
      String text = PseudoText.words(120, 500 + i);
      texts.add(text);
      Files.writeString(corpus.resolve("document-" + i + ".txt"), text);
    }
    MillraceConfig feeder = configOf("feeder");
    LocalPipeline.ensureTopics(feeder);
    try (Feeder feed = new Feeder(feeder)) {
      assertThat(feed.feed(List.of(corpus)).documents()).isEqualTo(DOCUMENTS);
    }

    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (tokenDocuments().size() < DOCUMENTS && System.nanoTime() < deadline) {
      assertThat(stages).noneMatch(StreamsStage::failed);
      Thread.sleep(500);
    }
    assertThat(tokenDocuments()).hasSize(DOCUMENTS);

    MillraceConfig trainer = configOf("trainer").with(Map.of(TrainerKeys.MAX_STEPS, "3"));
    LocalPipeline.ensureTopics(trainer);
    try (ContinuousTrainer training = TrainerClients.connect(trainer, new ByteLevelTokenizer())) {
      training.run();
      assertThat(training.step()).isEqualTo(3);
    }

    StatusReport status = new StatusReader(configOf("status")).read();
    assertThat(status.stages())
        .filteredOn(stage -> !stage.stage().equals("train"))
        .allSatisfy(
            stage -> {
              assertThat(stage.members()).isEqualTo(1);
              assertThat(stage.lag()).isZero();
              assertThat(stage.internalLag()).isZero();
            });
    assertThat(status.trainer().step()).isEqualTo(3);
    DashboardHistory history = new DashboardHistory("default");
    try (DashboardTopicReader dashboard = new DashboardTopicReader(configOf("status"))) {
      dashboard.readNew(history);
    }
    assertThat(history.snapshot().loss())
        .as("the dashboard reads the trainer's progress, logged in as status")
        .isNotEmpty();
    for (int i = 0; i < Stages.ALL.size(); i++) {
      assertThat(endpoints.get(i).registry().scrape())
          .as("the lag reader of %s logs in as its principal", Stages.ALL.get(i).name())
          .contains(
              "millrace_consumer_lag_records{group=\"" + Stages.ALL.get(i).applicationId() + "\"");
    }
  }

  @Test
  void aPrincipalWithoutAclsIsRefusedWithAClearError() throws Exception {
    Path corpus = Files.createDirectories(folder.resolve("stranger-corpus"));
    Files.writeString(corpus.resolve("a.txt"), PseudoText.words(50, 7));
    List<String> arguments = new ArrayList<>(List.of("feed", corpus.toString()));
    settingsOf("stranger")
        .forEach(
            (key, value) -> {
              arguments.add("--set");
              arguments.add(key + "=" + value);
            });

    CommandRun feed = CommandRun.of(arguments.toArray(String[]::new));

    assertThat(feed.exitCode()).isEqualTo(1);
    assertThat(feed.err())
        .contains("millrace feed: Kafka refused the feed's transactional id millrace-feed-")
        .contains("Transactional Id authorization failed");
  }

  @Test
  void aWrongPasswordIsRefusedAtLogin() {
    Map<String, String> wrongPassword = new HashMap<>(security.clientProperties("stranger"));
    wrongPassword.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"stranger\""
            + " password=\"guess\";");
    Map<String, Object> properties = new HashMap<>(wrongPassword);
    properties.put("bootstrap.servers", broker.bootstrapServers());
    try (Admin admin = Admin.create(properties)) {
      assertThatThrownBy(() -> admin.listTopics().names().get())
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(SaslAuthenticationException.class);
    }
  }

  private static List<TokenizedDocument> tokenDocuments() {
    return TopicRecords.readAll(
            KafkaClientProperties.groupLessConsumer(configOf(ADMIN), "test"), topics.tokens())
        .stream()
        .map(record -> AvroSerde.tokenizedDocument().decode(record.value()))
        .filter(document -> document.getChunkIndex() == 0)
        .toList();
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
