package org.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millrace.processors.Stage;
import org.millrace.processors.Stages;
import org.millrace.processors.StreamsStage;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.KafkaBrokerExtension;
import org.millrace.runtime.testing.PseudoText;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.CleanDocument;

/**
 * The dedup stage on a real broker, with documents spread over partitions: near duplicates meet
 * across partitions, three instances decide as one does, and an instance killed mid-stream loses
 * and repeats nothing, with its state restored from the changelog.
 */
public class DedupIT {

  private static final int PARTITIONS = 3;

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  /** A pipeline of its own: topics under {@code prefix.}, state under data.dir/prefix. */
  private static MillraceConfig pipeline(String prefix) {
    return kafka.pipeline(
        prefix,
        Map.of(
            MillraceConfig.TOPICS_PARTITIONS,
            String.valueOf(PARTITIONS),
            MillraceConfig.STREAMS_COMMIT_INTERVAL_MS,
            "200"));
  }

  /**
   * Instance {@code n} of the pipeline's dedup stage, in this JVM, with a state folder of its own.
   */
  private static StreamsStage instance(MillraceConfig config, String prefix, int n)
      throws IOException {
    Stage stage = Stages.DEDUP.withApplicationId(prefix + "-" + Stages.DEDUP.applicationId());
    Properties properties = stage.streamsProperties(config);
    properties.put(
        StreamsConfig.STATE_DIR_CONFIG, config.dataDir().resolve("streams-" + n).toString());
    return StreamsStage.start("dedup-" + n, stage.topology(config), properties);
  }

  @Test
  void nearDuplicatesOnDifferentPartitionsAreCaughtWhicheverArrivesFirst() throws Exception {
    MillraceConfig config = pipeline("across");
    Topics topics = Topics.of(config);
    long now = System.currentTimeMillis();
    String original = PseudoText.words(250, 1);
    String text = PseudoText.words(250, 11);
    String chain = PseudoText.words(250, 12);
    try (StreamsStage stage = instance(config, "across", 0)) {
      send(topics, List.of(new Sent(DedupCorpus.document("original", original), 0)));
      awaitVerdicts(topics, 1);
      send(
          topics,
          List.of(
              new Sent(
                  DedupCorpus.document("near-copy", PseudoText.replaceWords(original, 3, 7)), 1),
              new Sent(DedupCorpus.document("exact-copy", original), 2),
              new Sent(DedupCorpus.document("other", PseudoText.words(250, 2)), 2)));
      awaitVerdicts(topics, 4);
      // Races: each copy on a partition of its own, the later ones first, as stalled partitions
      // deliver them: by record time each is earlier than the one before.
      send(topics, List.of(new Sent(DedupCorpus.document("later", text), 1, now)));
      send(topics, List.of(new Sent(DedupCorpus.document("chain-c", chain), 2, now)));
      awaitVerdicts(topics, 6);
      send(
          topics,
          List.of(
              new Sent(
                  DedupCorpus.document("earlier", PseudoText.replaceWords(text, 3, 7)),
                  0,
                  now - 10_000),
              new Sent(
                  DedupCorpus.document("chain-b", PseudoText.replaceWords(chain, 3, 7)),
                  1,
                  now - 1_000)));
      awaitVerdicts(topics, 8);
      send(
          topics,
          List.of(
              new Sent(
                  DedupCorpus.document("chain-a", PseudoText.replaceWords(chain, 4, 9)),
                  0,
                  now - 2_000)));
      awaitVerdicts(topics, 9);
      assertThat(stage.failed()).isFalse();
    }
    Map<String, String> verdicts = verdicts(topics);
    assertThat(verdicts)
        .containsEntry("original", "unique")
        .containsEntry("other", "unique")
        .containsEntry("near-copy", "NEAR of original")
        .containsEntry("exact-copy", "EXACT of original")
        .containsEntry("later", "unique")
        .containsEntry("earlier", "NEAR of later")
        .containsEntry("chain-c", "unique")
        .containsEntry("chain-b", "NEAR of chain-c");
    assertThat(verdicts.get("chain-a")).isIn("NEAR of chain-b", "NEAR of chain-c");
  }

  @Test
  void threeInstancesDecideAsOneDoes() throws Exception {
    List<Sent> corpus = DedupCorpus.clusters(120, new Random(3));
    Map<String, Map<String, String>> verdictsByRun = new HashMap<>();
    for (int instances : new int[] {1, 3}) {
      String prefix = "instances" + instances;
      MillraceConfig config = pipeline(prefix);
      Topics topics = Topics.of(config);
      List<StreamsStage> stages = new ArrayList<>();
      for (int n = 0; n < instances; n++) {
        stages.add(instance(config, prefix, n));
      }
      try {
        send(topics, corpus);
        awaitVerdicts(topics, corpus.size(), stages);
        assertThat(stages).noneMatch(StreamsStage::failed);
      } finally {
        stages.forEach(StreamsStage::close);
      }
      verdictsByRun.put(prefix, verdicts(topics));
    }
    Map<String, String> one = verdictsByRun.get("instances1");
    assertThat(one).hasSize(corpus.size());
    assertThat(one.values().stream().filter(v -> v.startsWith("NEAR"))).hasSizeGreaterThan(20);
    assertThat(one.values().stream().filter(v -> v.startsWith("EXACT"))).hasSizeGreaterThan(20);
    assertThat(verdictsByRun.get("instances3")).isEqualTo(one);
  }

  @Test
  void anInstanceKilledMidStreamLosesAndRepeatsNothingAndRemembersWhatItSaw() throws Exception {
    MillraceConfig config = pipeline("killed");
    Topics topics = Topics.of(config);
    List<Sent> corpus = DedupCorpus.clusters(700, new Random(5));
    // Half the corpus before the kill and the rest after it, so that the stage is killed with
    // work left whatever the machine's speed (a fast run once finished all of it between polls).
    List<Sent> firstHalf = corpus.subList(0, corpus.size() / 2);
    send(topics, firstHalf);

    Process stage = dedupProcess(config);
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (countVerdicts(topics) < corpus.size() / 5) {
      assertThat(stage.isAlive())
          .as("the dedup process runs; see its log in " + kafka.dataDir())
          .isTrue();
      assertThat(System.nanoTime())
          .as("a fifth of the verdicts within 2 minutes")
          .isLessThan(deadline);
      Thread.sleep(100);
    }
    stage.destroyForcibly().waitFor();
    int beforeTheKill = countVerdicts(topics);
    System.err.println(
        "DedupIT: killed the dedup process after "
            + beforeTheKill
            + " of "
            + corpus.size()
            + " verdicts");
    assertThat(beforeTheKill).as("killed mid-stream").isLessThan(corpus.size());
    deleteRecursively(
        config.dataDir().resolve("streams")); // the state must come back from the changelog
    send(topics, corpus.subList(firstHalf.size(), corpus.size()));

    Map<String, String> before = verdicts(topics);
    String seenBeforeTheKill =
        before.entrySet().stream()
            .filter(e -> e.getValue().equals("unique"))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow();
    CleanDocument seen =
        corpus.stream()
            .map(Sent::document)
            .filter(d -> d.getId().equals(seenBeforeTheKill))
            .findFirst()
            .orElseThrow();
    try (StreamsStage restarted = Stages.DEDUP.start(config)) {
      awaitVerdicts(topics, corpus.size());
      send(
          topics,
          List.of(
              new Sent(DedupCorpus.document("copy-after-restart", seen.getText().toString()), 0)));
      awaitVerdicts(topics, corpus.size() + 1);
      assertThat(restarted.failed()).isFalse();
    }

    List<String> unique = ids(topics.unique(), false);
    List<String> duplicates = ids(topics.duplicates(), true);
    List<String> all = Stream.concat(unique.stream(), duplicates.stream()).toList();
    assertThat(all)
        .as("every document exactly once: raw = unique + duplicates")
        .doesNotHaveDuplicates()
        .hasSize(corpus.size() + 1);
    assertThat(kafka.records(topics.rejected())).isEmpty();
    assertThat(verdicts(topics))
        .containsEntry("copy-after-restart", "EXACT of " + seenBeforeTheKill);
  }

  @Test
  void ofExactCopiesArrivingTogetherOnDifferentPartitionsAcrossARestartExactlyOneSurvives()
      throws Exception {
    MillraceConfig config = pipeline("together");
    Topics topics = Topics.of(config);
    int texts = 30;
    long now = System.currentTimeMillis();
    // The first copies, on partition 0, with the latest timestamps: the originals of issue 16,
    // read before copies that were written earlier but held up on other partitions.
    List<Sent> first = new ArrayList<>();
    // Then, after a restart, two more copies of each on partitions 1 and 2, older still, and
    // texts never seen, each sent to all three partitions at once.
    List<Sent> after = new ArrayList<>();
    for (int t = 0; t < texts; t++) {
      String seen = PseudoText.words(60, 1000 + t);
      String fresh = PseudoText.words(60, 2000 + t);
      first.add(new Sent(DedupCorpus.document("seen" + t + "-p0", seen), 0, now));
      after.add(new Sent(DedupCorpus.document("seen" + t + "-p1", seen), 1, now - 2_000));
      after.add(new Sent(DedupCorpus.document("seen" + t + "-p2", seen), 2, now - 1_000));
      for (int p = 0; p < PARTITIONS; p++) {
        after.add(new Sent(DedupCorpus.document("fresh" + t + "-p" + p, fresh), p, now - p));
      }
    }
    send(topics, first);
    try (StreamsStage stage = instance(config, "together", 0)) {
      awaitVerdicts(topics, first.size(), List.of(stage));
      send(topics, after.subList(0, after.size() / 2));
      assertThat(stage.failed()).isFalse();
    } // a restart, with questions and answers of the second half in flight
    try (StreamsStage stage = instance(config, "together", 0)) {
      send(topics, after.subList(after.size() / 2, after.size()));
      awaitVerdicts(topics, first.size() + after.size(), List.of(stage));
      assertThat(stage.failed()).isFalse();
    }

    Map<String, String> verdicts = verdicts(topics);
    assertThat(verdicts).hasSize(first.size() + after.size());
    for (int t = 0; t < texts; t++) {
      for (String text : List.of("seen" + t, "fresh" + t)) {
        List<String> copies =
            verdicts.keySet().stream().filter(id -> id.startsWith(text + "-")).sorted().toList();
        List<String> kept =
            copies.stream().filter(id -> verdicts.get(id).equals("unique")).toList();
        assertThat(kept).as("the copies of %s that reached docs.unique", text).hasSize(1);
        assertThat(copies.stream().filter(id -> !kept.contains(id)).map(verdicts::get))
            .as("the other copies of %s", text)
            .containsOnly("EXACT of " + kept.get(0));
      }
      assertThat(verdicts).containsEntry("seen" + t + "-p0", "unique");
    }
  }

  record Sent(CleanDocument document, int partition, Long timestamp) {
    Sent(CleanDocument document, int partition) {
      this(document, partition, null);
    }
  }

  private static void send(Topics topics, List<Sent> documents) throws Exception {
    Properties properties = KafkaClientProperties.producer(kafka.config(), "dedup-it");
    // One request in flight: right after a topic is created, the first batches can fail with
    // NOT_LEADER_OR_FOLLOWER while later ones are already on their way, and the retries then end
    // in OUT_OF_ORDER_SEQUENCE_NUMBER on this broker. The tests need each cluster in order anyway.
    properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties)) {
      for (Sent sent : documents) {
        producer.send(
            new ProducerRecord<>(
                topics.clean(),
                sent.partition(),
                sent.timestamp(),
                sent.document().getId().toString().getBytes(StandardCharsets.UTF_8),
                AvroSerde.cleanDocument().encode(sent.document())));
      }
      producer.flush();
    }
  }

  private static int countVerdicts(Topics topics) {
    return kafka.records(topics.unique()).size() + kafka.records(topics.duplicates()).size();
  }

  private static void awaitVerdicts(Topics topics, int count) throws InterruptedException {
    awaitVerdicts(topics, count, List.of());
  }

  private static void awaitVerdicts(Topics topics, int count, List<StreamsStage> stages)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    int verdicts;
    while ((verdicts = countVerdicts(topics)) < count) {
      assertThat(System.nanoTime())
          .as(
              "%d verdicts within 3 minutes (%d so far; stages %s)",
              count, verdicts, stages.stream().map(s -> s.name() + ": " + s.state()).toList())
          .isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /** Document id → "unique", or "<kind> of <original id>". */
  private static Map<String, String> verdicts(Topics topics) {
    Map<String, String> verdicts = new HashMap<>();
    ids(topics.unique(), false).forEach(id -> verdicts.put(id, "unique"));
    kafka.values(topics.duplicates(), AvroSerde.duplicateRecord()).stream()
        .forEach(
            d ->
                verdicts.put(
                    d.getDuplicateId().toString(), d.getKind() + " of " + d.getOriginalId()));
    return verdicts;
  }

  private static List<String> ids(String topic, boolean duplicates) {
    return kafka.records(topic).stream()
        .map(
            r ->
                duplicates
                    ? AvroSerde.duplicateRecord().decode(r.value()).getDuplicateId().toString()
                    : AvroSerde.cleanDocument().decode(r.value()).getId().toString())
        .toList();
  }

  private static Process dedupProcess(MillraceConfig config) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Millrace.class.getName(),
                "dedup"));
    for (String key :
        List.of(
            MillraceConfig.DATA_DIR,
            MillraceConfig.BOOTSTRAP_SERVERS,
            MillraceConfig.TOPICS_PREFIX,
            MillraceConfig.TOPICS_PARTITIONS,
            MillraceConfig.STREAMS_COMMIT_INTERVAL_MS)) {
      command.add("--set");
      command.add(key + "=" + config.originals().get(key));
    }
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(kafka.dataDir().resolve("killed-dedup.log").toFile())
        .start();
  }

  private static void deleteRecursively(Path dir) throws Exception {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }
}
