package org.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.millrace.runtime.config.ConfigLoader;
import org.millrace.runtime.config.MillraceConfig;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose files, checked for what would break them at run time, without a Docker engine: every
 * Millrace service runs a real subcommand with valid configuration, Prometheus scrapes every process
 * that serves metrics on the port it serves them on, Grafana reads that Prometheus and the
 * dashboard, the three-broker override forms one quorum whose topics get three replicas, the alert
 * rules pass promtool and their unit tests, and the deployment's properties of issue 15 (project
 * name, restart policies, healthchecks, memory, stop grace, the feeder's folder, the broker's version
 * and cluster id, the image's user and platform, the build's dependency layer) hold. (.ci/run also
 * runs docker-compose config on both files, and docker/smoke-test runs the deployment under a real
 * engine; MonitoringIT checks the dashboard's and the rules' metrics against a live scrape.)
 */
public class DockerComposeTest {

  private static final Path COMPOSE = Path.of("../docker/docker-compose.yml");
  private static final Path CLUSTER = Path.of("../docker/docker-compose.cluster.yml");
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  /** The commands that serve Prometheus metrics (docs/operations.md, "Metrics"). */
  private static final Set<String> SERVING_METRICS =
      Set.of("up", "demo", "clean", "dedup", "tokenize", "train");

  @Test
  @SuppressWarnings("unchecked")
  void everyMillraceServiceRunsARealSubcommandWithValidConfiguration() throws Exception {
    // SnakeYAML resolves the merge key (<<: *millrace) as docker compose does.
    Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE));
    Map<String, Map<String, Object>> services =
        (Map<String, Map<String, Object>>) compose.get("services");
    int millraceServices = 0;
    for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
      Map<String, Object> definition = service.getValue();
      if (!String.valueOf(definition.get("image")).startsWith("millrace")) {
        continue;
      }
      millraceServices++;
      String subcommand = ((List<String>) definition.get("command")).get(0);

      assertThat(Millrace.commandLine().getSubcommands())
          .as(service.getKey())
          .containsKey(subcommand);
      assertThat(CommandRun.of(subcommand, "--help").exitCode())
          .as(service.getKey())
          .isZero();
      Map<String, String> environment = new HashMap<>();
      ((Map<String, Object>) definition.get("environment"))
          .forEach((name, value) -> environment.put(name, String.valueOf(value)));
      ConfigLoader.load(null, environment, Map.of()); // throws on an unknown key or a bad value
    }
    assertThat(millraceServices).isEqualTo(6);
  }

  @Test
  void theDockerfileBuildsTheLauncherTheComposeFileRuns() throws Exception {
    String dockerfile = Files.readString(Path.of("../docker/Dockerfile"));

    assertThat(dockerfile)
        .contains("./mvnw")
        .contains("cli/target/millrace-cli.jar")
        .contains("cli/target/lib")
        .contains("ENTRYPOINT [\"millrace\"]");
    assertThat(Files.readString(Path.of("../docker/millrace")))
        .contains("org.millrace.cli.Millrace")
        .contains("-Dai.djl.offline=true");
  }

  @Test
  @SuppressWarnings("unchecked")
  void prometheusScrapesEveryProcessThatServesMetricsOnThePortItServesThemOn() throws Exception {
    Set<String> expected = new TreeSet<>();
    for (Map.Entry<String, Map<String, Object>> service : services(load(COMPOSE)).entrySet()) {
      Map<String, Object> definition = service.getValue();
      List<String> command = (List<String>) definition.get("command");
      if (!isMillrace(definition) || !SERVING_METRICS.contains(command.get(0))) {
        continue;
      }
      MillraceConfig config = ConfigLoader.load(null, environment(definition), Map.of());
      assertThat(config.getString(MillraceConfig.METRICS_HOST))
          .as("%s must listen beyond its own container", service.getKey())
          .isEqualTo("0.0.0.0");
      expected.add(service.getKey() + ":" + config.getInt(MillraceConfig.METRICS_PORT));
    }

    assertThat(expected).hasSize(4);
    assertThat(scrapeTargets(MonitoringFiles.load(MonitoringFiles.PROMETHEUS_CONFIG)))
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  @SuppressWarnings("unchecked")
  void prometheusFindsItsConfigurationAndAlertRulesWhereTheComposeFileMountsThem()
      throws Exception {
    Map<String, Object> prometheus = services(load(COMPOSE)).get("prometheus");
    Map<String, Path> mounted = mounts(prometheus);
    String configFile =
        ((List<String>) prometheus.get("command"))
            .stream()
                .filter(argument -> argument.startsWith("--config.file="))
                .findFirst()
                .orElseThrow()
                .substring("--config.file=".length());

    assertThat(mounted.get(configFile)).isEqualTo(MonitoringFiles.PROMETHEUS_CONFIG.normalize());
    List<String> ruleFiles =
        (List<String>) MonitoringFiles.load(MonitoringFiles.PROMETHEUS_CONFIG).get("rule_files");
    assertThat(ruleFiles).isNotEmpty();
    for (String ruleFile : ruleFiles) {
      String inContainer = Path.of(configFile).resolveSibling(ruleFile).toString();
      assertThat(mounted.get(inContainer))
          .as(ruleFile)
          .isEqualTo(MonitoringFiles.ALERTS.normalize());
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void grafanaQueriesThePrometheusServiceAndFindsTheDashboard() throws Exception {
    Map<String, Map<String, Object>> services = services(load(COMPOSE));
    Map<String, Object> datasource =
        ((List<Map<String, Object>>)
                MonitoringFiles.load(MonitoringFiles.DATASOURCES).get("datasources"))
            .get(0);
    String prometheusPort =
        ((List<String>) services.get("prometheus").get("ports")).get(0).split(":")[1];

    assertThat(datasource.get("url")).isEqualTo("http://prometheus:" + prometheusPort);
    List<String> panelDatasources = new ArrayList<>();
    collectDatasources(MonitoringFiles.dashboard().path("panels"), panelDatasources);
    assertThat(panelDatasources).isNotEmpty().containsOnly(String.valueOf(datasource.get("uid")));

    Map<String, Path> mounted = mounts(services.get("grafana"));
    Map<String, Object> provider =
        ((List<Map<String, Object>>)
                MonitoringFiles.load(
                        MonitoringFiles.DOCKER.resolve(
                            "grafana/provisioning/dashboards/millrace.yml"))
                    .get("providers"))
            .get(0);
    String dashboards = String.valueOf(((Map<String, Object>) provider.get("options")).get("path"));
    assertThat(mounted.get(dashboards)).isNotNull();
    assertThat(mounted.get(dashboards).resolve("millrace.json")).isRegularFile();
    assertThat(mounted.get("/etc/grafana/provisioning"))
        .isEqualTo(MonitoringFiles.DOCKER.resolve("grafana/provisioning").normalize());
  }

  private static void collectDatasources(JsonNode panels, List<String> uids) {
    for (JsonNode panel : panels) {
      if (panel.has("targets")) {
        uids.add(panel.path("datasource").path("uid").asText());
        panel.path("targets").forEach(t -> uids.add(t.path("datasource").path("uid").asText()));
      }
      collectDatasources(panel.path("panels"), uids);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theClusterOverrideRunsThreeKraftNodesInOneQuorumAndThreeReplicas() throws Exception {
    Map<String, Map<String, Object>> services = services(load(COMPOSE));
    Map<String, Map<String, Object>> override = services(load(CLUSTER));
    Map<String, Map<String, Object>> merged = new LinkedHashMap<>(services);
    override.forEach(
        (name, definition) -> merged.merge(name, definition, DockerComposeTest::merge));

    Map<String, String> internalListenerByNode = new HashMap<>();
    Set<String> voters = new TreeSet<>();
    for (Map.Entry<String, Map<String, Object>> service : merged.entrySet()) {
      Map<String, String> environment = environment(service.getValue());
      if (!environment.containsKey("KAFKA_NODE_ID")) {
        continue;
      }
      String node = environment.get("KAFKA_NODE_ID");
      assertThat(internalListenerByNode).as("node ids are distinct").doesNotContainKey(node);
      internalListenerByNode.put(node, service.getKey() + ":29092");
      assertThat(environment.get("KAFKA_ADVERTISED_LISTENERS"))
          .contains("INTERNAL://" + service.getKey() + ":29092");
      voters.add(environment.get("KAFKA_CONTROLLER_QUORUM_VOTERS"));
      assertThat(environment.get("KAFKA_MIN_INSYNC_REPLICAS")).isEqualTo("2");
      assertThat(environment.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")).isEqualTo("3");
    }
    assertThat(internalListenerByNode).hasSize(3);
    assertThat(voters)
        .as("every node names the same quorum of the three")
        .singleElement()
        .isEqualTo(
            "1@"
                + internalListenerByNode.get("1").replace(":29092", ":29093")
                + ",2@"
                + internalListenerByNode.get("2").replace(":29092", ":29093")
                + ",3@"
                + internalListenerByNode.get("3").replace(":29092", ":29093"));

    int millraceServices = 0;
    for (Map.Entry<String, Map<String, Object>> service : merged.entrySet()) {
      if (!isMillrace(service.getValue())) {
        continue;
      }
      millraceServices++;
      MillraceConfig config = ConfigLoader.load(null, environment(service.getValue()), Map.of());
      assertThat(config.getShort(MillraceConfig.TOPICS_REPLICATION_FACTOR))
          .as(service.getKey())
          .isEqualTo((short) 3);
      assertThat(config.bootstrapServers().split(","))
          .as(service.getKey())
          .containsExactlyInAnyOrderElementsOf(internalListenerByNode.values());
    }
    assertThat(millraceServices).isEqualTo(6);
    assertThat((Map<String, Object>) merged.get("topics").get("depends_on"))
        .as("topics are created once every broker is up")
        .containsKeys("kafka", "kafka-2", "kafka-3");
  }

  /** Compose's merge of an override into a service: mappings merge, the rest is replaced. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    override.forEach(
        (key, value) ->
            merged.merge(
                key,
                value,
                (a, b) ->
                    a instanceof Map && b instanceof Map
                        ? merge((Map<String, Object>) a, (Map<String, Object>) b)
                        : b));
    return merged;
  }

  @Test
  void theAlertRulesPassPromtoolAndTheirUnitTests() throws Exception {
    if (!Files.isExecutable(PROMTOOL)) {
      System.err.println(
          "DockerComposeTest: SKIPPED the promtool checks of docker/prometheus/alerts.yml: "
              + PROMTOOL
              + " is absent (apt-get install prometheus; .ci/run does)");
    }
    assumeTrue(Files.isExecutable(PROMTOOL), PROMTOOL + " is absent: apt-get install prometheus");

    assertThat(promtool("check", "rules", MonitoringFiles.ALERTS.toString())).contains("SUCCESS");
    assertThat(promtool("check", "config", MonitoringFiles.PROMETHEUS_CONFIG.toString()))
        .contains("SUCCESS");
    assertThat(promtool("test", "rules", MonitoringFiles.ALERT_TESTS.toString()))
        .contains("SUCCESS");
  }

  private static String promtool(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("promtool %s:%n%s", arguments, output).isZero();
    return output;
  }

  @Test
  void everyAlertSaysWhatIsWrongAndEverySeriesWithAColonIsRecorded() {
    for (Map<String, Object> rule : MonitoringFiles.rules()) {
      if (rule.containsKey("alert")) {
        assertThat(String.valueOf(rule.get("annotations"))).as("%s", rule).contains("summary");
      }
    }
    Set<String> queried = new TreeSet<>();
    MonitoringFiles.dashboardExpressions()
        .forEach(expression -> queried.addAll(PromQlMetricNames.of(expression)));
    MonitoringFiles.ruleExpressions()
        .forEach(expression -> queried.addAll(PromQlMetricNames.of(expression)));

    assertThat(queried).contains("millrace_trainer_loss", "millrace_consumer_lag_records");
    assertThat(queried.stream().filter(name -> name.contains(":")))
        .as("recording rules' series (level:metric:operations)")
        .isNotEmpty()
        .allSatisfy(name -> assertThat(MonitoringFiles.recordedSeries()).contains(name));
  }

  @Test
  void theProjectHasANameOfItsOwnThatComposeOneAndTwoBothRead() throws Exception {
    // Compose 1.29 rejects a top-level name: key; both read COMPOSE_PROJECT_NAME from the .env file
    // beside the compose file.
    assertThat(load(COMPOSE)).doesNotContainKey("name");
    assertThat(Files.readAllLines(COMPOSE.resolveSibling(".env")))
        .contains("COMPOSE_PROJECT_NAME=millrace");
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyLongRunningServiceComesBackAfterACrashOrARebootAndOneOffsDoNot() throws Exception {
    for (Map.Entry<String, Map<String, Object>> service : services(load(COMPOSE)).entrySet()) {
      String name = service.getKey();
      Object restart = service.getValue().get("restart");
      switch (name) {
        case "topics", "feeder" -> assertThat(restart).as(name).isEqualTo("no");
        // a trainer that stopped itself on purpose (NaN loss, retention) exits 1: a few tries, not
        // forever; SIGKILL (137) and a daemon's SIGTERM (143) are failures too, so it comes back
        case "trainer" -> assertThat(String.valueOf(restart)).as(name).matches("on-failure:[1-9]");
        default -> assertThat(restart).as(name).isEqualTo("unless-stopped");
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theLongRunningMillraceServicesHaveAHealthcheckAndNoJvmStartsForOne() throws Exception {
    for (Map.Entry<String, Map<String, Object>> service : services(load(COMPOSE)).entrySet()) {
      Map<String, Object> definition = service.getValue();
      Map<String, Object> healthcheck = (Map<String, Object>) definition.get("healthcheck");
      if (service.getKey().startsWith("kafka")) {
        assertThat(String.valueOf(healthcheck.get("test")))
            .as("the broker's healthcheck starts no JVM")
            .doesNotContain(".sh")
            .doesNotContain("java");
        continue;
      }
      if (!isMillrace(definition)) {
        continue;
      }
      String subcommand = ((List<String>) definition.get("command")).get(0);
      if (SERVING_METRICS.contains(subcommand)) {
        assertThat((List<String>) healthcheck.get("test"))
            .as(service.getKey())
            .containsExactly("CMD", "millrace-healthy");
      } else {
        assertThat(healthcheck).as(service.getKey()).containsEntry("disable", true);
      }
    }
    assertThat(Files.readString(Path.of("../docker/millrace-healthy")))
        .startsWith("#!/bin/bash")
        .contains("/dev/tcp/127.0.0.1/${MILLRACE_METRICS_PORT:-9400}");
    assertThat(Files.readString(Path.of("../docker/Dockerfile")))
        .contains("COPY docker/millrace docker/millrace-healthy /usr/local/bin/");
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyServiceHasAMemoryLimitAndEveryJvmAHeapWithinIt() throws Exception {
    for (Map.Entry<String, Map<String, Object>> service : services(load(COMPOSE)).entrySet()) {
      Map<String, Object> definition = service.getValue();
      assertThat(definition.get("mem_limit")).as(service.getKey()).isNotNull();
      Map<String, String> environment = environment(definition);
      if (isMillrace(definition)) {
        assertThat(environment.get("MILLRACE_OPTS")).contains("-XX:MaxRAMPercentage=");
      } else if (service.getKey().equals("kafka")) {
        assertThat(environment.get("KAFKA_HEAP_OPTS")).contains("-Xmx");
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theTrainerHasTimeForItsLastCheckpoint() throws Exception {
    String grace = String.valueOf(services(load(COMPOSE)).get("trainer").get("stop_grace_period"));
    assertThat(grace).as("Docker's default is 10 s").matches("[1-9][0-9]*m");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theFeederReadsAHostFolderAndKeepsItsProgressOnANamedVolume() throws Exception {
    Map<String, Object> compose = load(COMPOSE);
    List<String> volumes = (List<String>) services(compose).get("feeder").get("volumes");
    String progress = volumes.stream().filter(v -> v.endsWith(":/data")).findFirst().orElseThrow();
    assertThat(((Map<String, Object>) compose.get("volumes")))
        .as("a named volume, kept by run --rm and down")
        .containsKey(progress.substring(0, progress.indexOf(':')));
    assertThat(volumes).contains("${MILLRACE_FEED_DIR:-./feed}:/feed:ro");
    assertThat(COMPOSE.resolveSibling("feed")).isDirectory();
  }

  @Test
  @SuppressWarnings("unchecked")
  void theBrokerIsTheKafkaVersionOfTheClientsWithAClusterIdOfItsOwn() throws Exception {
    String pom = Files.readString(Path.of("../pom.xml"));
    String kafkaVersion =
        pom.substring(pom.indexOf("<kafka.version>") + 15, pom.indexOf("</kafka.version>"));
    Map<String, Object> kafka = services(load(COMPOSE)).get("kafka");
    assertThat(kafka.get("image")).isEqualTo("apache/kafka:" + kafkaVersion);
    String clusterId = environment(kafka).get("CLUSTER_ID");
    assertThat(clusterId)
        .as("not the image's default")
        .hasSize(22)
        .isNotEqualTo("5L6g3nShT-eMCtK--X86sw");
    for (Map.Entry<String, Map<String, Object>> node : services(load(CLUSTER)).entrySet()) {
      if (node.getKey().startsWith("kafka")) {
        assertThat(environment(node.getValue()).get("CLUSTER_ID")).isEqualTo(clusterId);
        if (node.getValue().containsKey("image")) {
          assertThat(node.getValue().get("image")).isEqualTo(kafka.get("image"));
          assertThat(node.getValue().get("restart")).isEqualTo("unless-stopped");
        }
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theImageRunsAsAUserOfItsOwnOnThePlatformOfItsPyTorchLibrary() throws Exception {
    String dockerfile = Files.readString(Path.of("../docker/Dockerfile"));
    assertThat(dockerfile).contains("USER millrace");
    // the native library is PyTorch's linux-x86_64 build: the image and the services say amd64
    assertThat(Files.readString(Path.of("../trainer/pom.xml")))
        .contains(
            "<artifactId>pytorch-native-cpu</artifactId><classifier>linux-x86_64</classifier>");
    assertThat(dockerfile.lines().filter(line -> line.startsWith("FROM eclipse-temurin")))
        .as("every base image pinned")
        .isEmpty();
    assertThat(dockerfile).contains("FROM --platform=linux/amd64 eclipse-temurin:17-jre");
    for (Map.Entry<String, Map<String, Object>> service : services(load(COMPOSE)).entrySet()) {
      if (isMillrace(service.getValue())) {
        assertThat(service.getValue().get("platform"))
            .as(service.getKey())
            .isEqualTo("linux/amd64");
      }
    }
  }

  @Test
  void aSourceEditDownloadsNothingAgain() throws Exception {
    // Every module's pom.xml is copied, and the dependencies resolved, before the sources are.
    String dockerfile = Files.readString(Path.of("../docker/Dockerfile"));
    String pom = Files.readString(Path.of("../pom.xml"));
    int sources = dockerfile.indexOf("COPY . .");
    int resolve = dockerfile.indexOf("-Dmaven.main.skip");
    assertThat(resolve).isPositive().isLessThan(sources);
    java.util.regex.Matcher module =
        java.util.regex.Pattern.compile("<module>([^<]+)</module>").matcher(pom);
    int modules = 0;
    while (module.find()) {
      modules++;
      String copy = "COPY " + module.group(1) + "/pom.xml " + module.group(1) + "/";
      assertThat(dockerfile).contains(copy);
      assertThat(dockerfile.indexOf(copy)).as(copy).isLessThan(resolve);
    }
    assertThat(modules).isPositive();
  }

  private static Map<String, Object> load(Path compose) throws Exception {
    // SnakeYAML resolves the merge key (<<: *millrace) as docker compose does.
    return new Yaml().load(Files.readString(compose));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services(Map<String, Object> compose) {
    return (Map<String, Map<String, Object>>) compose.get("services");
  }

  private static boolean isMillrace(Map<String, Object> service) {
    return String.valueOf(service.get("image")).startsWith("millrace");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> environment(Map<String, Object> service) {
    Map<String, String> environment = new HashMap<>();
    Object declared = service.get("environment");
    if (declared != null) {
      ((Map<String, Object>) declared)
          .forEach((name, value) -> environment.put(name, String.valueOf(value)));
    }
    return environment;
  }

  /** A service's bind mounts: the path in the container, and the file or folder here. */
  @SuppressWarnings("unchecked")
  private static Map<String, Path> mounts(Map<String, Object> service) {
    Map<String, Path> mounts = new HashMap<>();
    for (String volume : (List<String>) service.get("volumes")) {
      String[] parts = volume.split(":");
      if (parts[0].startsWith(".")) {
        mounts.put(parts[1], COMPOSE.resolveSibling(parts[0]).normalize());
      }
    }
    return mounts;
  }

  @SuppressWarnings("unchecked")
  private static Set<String> scrapeTargets(Map<String, Object> prometheusConfig) {
    Set<String> targets = new TreeSet<>();
    for (Map<String, Object> job :
        (List<Map<String, Object>>) prometheusConfig.get("scrape_configs")) {
      for (Map<String, Object> staticConfig :
          (List<Map<String, Object>>) job.get("static_configs")) {
        targets.addAll((List<String>) staticConfig.get("targets"));
      }
    }
    return targets;
  }
}
