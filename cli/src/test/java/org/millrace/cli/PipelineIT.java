package org.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.cli.local.LocalPipeline;
import org.millrace.cli.status.StatusReader;
import org.millrace.cli.status.StatusReport;
import org.millrace.processors.tokenize.TokenizeKeys;
import org.millrace.producers.feed.Feeder;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.KafkaBrokerExtension;
import org.millrace.runtime.testing.SharedTestData;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.DuplicateRecord;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.RejectedDocument;
import org.millrace.schemas.Split;
import org.millrace.schemas.TokenizedDocument;
import org.millrace.schemas.TrainerProgress;
import org.millrace.tokenizer.ByteLevelTokenizer;
import org.millrace.trainer.ContinuousTrainer;
import org.millrace.trainer.TrainerClients;
import org.millrace.trainer.TrainerKeys;
import org.millrace.trainer.TrainerSettings;
import org.millrace.trainer.checkpoint.CheckpointStore;

/**
 * The whole pipeline on a real broker, fed real documents: the HTML javadoc pages the build fetched
 * for the demo, Shakespeare when the shared test data is present, a duplicate, an empty document
 * and every kind of bad record. Then the trainer on what came out.
 */
public class PipelineIT {

  private static final Path DEMO_CORPUS = Path.of("target/demo-corpus/picocli");
  private static final int BATCH = 4;
  private static final int BLOCK = 32;

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();
  @TempDir static Path corpus;
  private static MillraceConfig config;
  private static Topics topics;
  private static LocalPipeline pipeline;
  private static Map<String, String> idBySource;

  @BeforeAll
  static void runThePipeline() throws Exception {
    config =
        kafka.config(
            SmallPipeline.settings(
                Map.of(
                    MillraceConfig.TOPICS_PARTITIONS, "3",
                    MillraceConfig.METRICS_PORT, "0",
                    TokenizeKeys.VALIDATION_FRACTION, "0.05",
                    TrainerKeys.BATCH_SIZE, String.valueOf(BATCH),
                    TrainerKeys.BLOCK_SIZE, String.valueOf(BLOCK),
                    TrainerKeys.WARMUP_STEPS, "2",
                    TrainerKeys.CHECKPOINT_INTERVAL_STEPS, "10")));
    topics = Topics.of(config);
    pipeline = LocalPipeline.start(config, false);

    writeCorpus();
    try (Feeder feeder = new Feeder(config)) {
      feeder.feed(List.of(corpus, DEMO_CORPUS));
    }
    produceBadRecords();
    awaitEveryRawRecordAccountedFor();

    // The second copy is fed once the first has been through dedup: a plain duplicate of an earlier
    // text. Copies racing on different partitions would end the same way, exactly one of them kept,
    // whichever reaches their content-hash bucket first (docs/dedup.md, "Exact copies: exactly one
    // survives"); the test below does not assume which is the original.
    Path later = Files.createDirectories(kafka.dataDir().resolve("later"));
    Files.writeString(later.resolve("copy-b.txt"), DUPLICATED);
    try (Feeder feeder = new Feeder(config)) {
      feeder.feed(List.of(later));
    }

    idBySource = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : kafka.records(topics.raw())) {
      if (AvroSerde.hasMarker(record.value())) {
        RawDocument document = AvroSerde.rawDocument().decode(record.value());
        idBySource.put(
            Path.of(document.getSource().substring("file:".length())).getFileName().toString(),
            document.getId());
      }
    }
    awaitEveryRawRecordAccountedFor();
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private static final String DUPLICATED =
      "The same paragraph, published twice under two names.\nIt must reach the model once.";

  private static void writeCorpus() throws Exception {
    Files.writeString(corpus.resolve("copy-a.txt"), DUPLICATED);
    Files.writeString(corpus.resolve("blank.txt"), "   \n\t \r\n  ");
    Optional<Path> shakespeare = SharedTestData.find(SharedTestData.TINY_SHAKESPEARE);
    if (shakespeare.isPresent()) {
      // One document per scene-sized piece of the play text.
      String text = Files.readString(shakespeare.get());
      for (int i = 0, part = 0; i < text.length(); i += 20_000, part++) {
        Files.writeString(
            corpus.resolve("shakespeare-" + part + ".txt"),
            text.substring(i, Math.min(text.length(), i + 20_000)));
      }
    } else {
      System.err.println(
          "PipelineIT: "
              + SharedTestData.folder().resolve(SharedTestData.TINY_SHAKESPEARE)
              + " is absent; feeding the javadoc corpus only");
    }
  }

  /** Bad input as anyone with kcat could send it, straight to docs.raw. */
  private static void produceBadRecords() throws Exception {
    byte[] garbage = new byte[4096];
    new Random(42).nextBytes(garbage);
    garbage[0] = 0;
    byte[] invalidUtf8 = "{\"text\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    byte[] twentyMegabytes =
        ("{\"text\": \"" + "many words ".repeat(20 * 1024 * 1024 / 11) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    Properties properties = KafkaClientProperties.producer(config, "bad-input");
    properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 32 * 1024 * 1024);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties)) {
      producer
          .send(
              new ProducerRecord<>(
                  topics.raw(),
                  key("malformed"),
                  "{\"text\": \"no closing quote}".getBytes(StandardCharsets.UTF_8)))
          .get();
      producer.send(new ProducerRecord<>(topics.raw(), key("garbage"), garbage)).get();
      producer.send(new ProducerRecord<>(topics.raw(), key("latin1"), invalidUtf8)).get();
      producer.send(new ProducerRecord<>(topics.raw(), key("empty"), new byte[0])).get();
      producer.send(new ProducerRecord<>(topics.raw(), key("huge"), twentyMegabytes)).get();
      producer
          .send(
              new ProducerRecord<>(
                  topics.raw(),
                  key("kcat-user"),
                  "{\"url\": \"https://example.org/\", \"text\": \"Sent with kcat.\"}"
                      .getBytes(StandardCharsets.UTF_8)))
          .get();
    }
  }

  private static byte[] key(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  record Outcome(long raw, long tokenDocuments, long duplicates, long rejected) {
    long accountedFor() {
      return tokenDocuments + duplicates + rejected;
    }
  }

  private static Outcome outcome() {
    long raw = kafka.records(topics.raw()).size();
    long tokenDocuments = tokens().stream().filter(t -> t.getChunkIndex() == 0).count();
    long duplicates = kafka.records(topics.duplicates()).size();
    long rejected = rejectedByStages().size();
    return new Outcome(raw, tokenDocuments, duplicates, rejected);
  }

  private static void awaitEveryRawRecordAccountedFor() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    Outcome outcome = outcome();
    while (outcome.accountedFor() < outcome.raw() && System.nanoTime() < deadline) {
      Thread.sleep(2000);
      outcome = outcome();
    }
  }

  private static List<TokenizedDocument> tokens() {
    return kafka.values(topics.tokens(), AvroSerde.tokenizedDocument());
  }

  /**
   * Rejections of records that came through docs.raw (the feeder's own rejections never reached
   * it).
   */
  private static List<RejectedDocument> rejectedByStages() {
    return kafka.values(topics.rejected(), AvroSerde.rejectedDocument()).stream()
        .filter(r -> !r.getStage().equals(Feeder.STAGE))
        .toList();
  }

  @Test
  void everyRawRecordEndsInExactlyOneOfTokensDuplicatesOrRejected() throws Exception {
    Outcome outcome = outcome();

    assertThat(outcome.raw()).isGreaterThan(100);
    assertThat(outcome.accountedFor())
        .as("raw = token documents + duplicates + rejected: %s", outcome)
        .isEqualTo(outcome.raw());

    Set<String> chunkKeys = new HashSet<>();
    for (TokenizedDocument chunk : tokens()) {
      assertThat(chunkKeys.add(chunk.getDocumentId() + "#" + chunk.getChunkIndex()))
          .as("no chunk emitted twice")
          .isTrue();
    }
    Thread.sleep(2000); // nothing arrives late, twice
    assertThat(outcome()).isEqualTo(outcome);
  }

  @Test
  void theStagesServeTheirMetricsToPrometheus() throws Exception {
    int unique = kafka.records(topics.unique()).size();
    // the binder picks up metrics registered after it was bound within 10 s
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    String scrape = scrape(pipeline.metricsPort().orElseThrow());
    while (dedupUnique(scrape) != unique && System.nanoTime() < deadline) {
      Thread.sleep(500);
      scrape = scrape(pipeline.metricsPort().orElseThrow());
    }

    assertThat(scrape).contains("kafka_stream_thread_process_total");
    assertThat(dedupUnique(scrape))
        .as("the dedup stage's own counter, through Kafka Streams' metrics")
        .isEqualTo(unique);

    long cleanRejected =
        kafka.records(topics.rejected()).stream()
            .filter(r -> AvroSerde.rejectedDocument().decode(r.value()).getStage().equals("clean"))
            .count();
    assertThat(sumOf(scrape, "kafka_stream_millrace_verdicts_total", "stage=\"clean\""))
        .as("the clean stage counts a verdict for every raw record")
        .isEqualTo(outcome().raw());
    assertThat(
            sumOf(
                scrape,
                "kafka_stream_millrace_verdicts_total",
                "outcome=\"rejected\"",
                "stage=\"clean\""))
        .isEqualTo(cleanRejected);

    // lag is read from the cluster every 15 s; the pipeline has drained, so the clean stage's
    // comes to 0
    long lagDeadline = System.nanoTime() + java.time.Duration.ofSeconds(40).toNanos();
    while ((!scrape.contains("millrace_consumer_lag_seconds{group=\"millrace-clean\"")
            || sumOf(scrape, "millrace_consumer_lag_records", "group=\"millrace-clean\"") > 0)
        && System.nanoTime() < lagDeadline) {
      Thread.sleep(500);
      scrape = scrape(pipeline.metricsPort().orElseThrow());
    }
    assertThat(
            scrape
                .lines()
                .filter(line -> line.startsWith("millrace_consumer_lag_records{"))
                .filter(line -> line.contains("group=\"millrace-clean\""))
                .count())
        .as("one lag gauge per partition of docs.raw")
        .isEqualTo(3);
    assertThat(sumOf(scrape, "millrace_consumer_lag_records", "group=\"millrace-clean\"")).isZero();
  }

  private static double sumOf(String scrape, String metric, String... labels) {
    return scrape
        .lines()
        .filter(line -> line.startsWith(metric + "{"))
        .filter(line -> java.util.Arrays.stream(labels).allMatch(line::contains))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static double dedupUnique(String scrape) {
    return scrape
        .lines()
        .filter(line -> line.startsWith("kafka_stream_millrace_dedup_unique_total"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static String scrape(int port) throws Exception {
    java.net.http.HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  @Test
  void aDuplicateIsRemovedAndNamesTheOriginal() {
    String a = idBySource.get("copy-a.txt");
    String b = idBySource.get("copy-b.txt");
    List<DuplicateRecord> duplicates =
        kafka.values(topics.duplicates(), AvroSerde.duplicateRecord()).stream()
            .filter(d -> d.getDuplicateId().equals(a) || d.getDuplicateId().equals(b))
            .toList();
    Set<String> tokenized =
        new HashSet<>(tokens().stream().map(TokenizedDocument::getDocumentId).toList());

    assertThat(duplicates).hasSize(1);
    DuplicateRecord duplicate = duplicates.get(0);
    assertThat(Set.of(duplicate.getDuplicateId(), duplicate.getOriginalId()))
        .containsExactlyInAnyOrder(a, b);
    assertThat(tokenized)
        .contains(duplicate.getOriginalId())
        .doesNotContain(duplicate.getDuplicateId());
  }

  @Test
  void everyKindOfBadInputIsRejectedWithItsReasonAndNothingStopped() {
    Map<String, RejectedDocument> byId = new HashMap<>();
    rejectedByStages().forEach(r -> byId.put(r.getId(), r));

    assertThat(byId.get(idBySource.get("blank.txt")).getReason()).isEqualTo("empty_text");
    List<RejectedDocument> fromRaw =
        rejectedByStages().stream().filter(r -> r.getOriginTopic().equals(topics.raw())).toList();
    assertThat(fromRaw)
        .extracting(RejectedDocument::getReason)
        .contains(
            "malformed_json",
            "binary_payload",
            "invalid_utf8",
            "empty_payload",
            "too_large",
            "empty_text");
    RejectedDocument huge =
        fromRaw.stream().filter(r -> r.getReason().equals("too_large")).findFirst().orElseThrow();
    assertThat(huge.getPayloadSize()).isGreaterThan(20L * 1000 * 1000);
    assertThat(huge.getDetail()).contains("documents.max.bytes");
    assertThat(pipeline.failure()).isEmpty();
    // the record sent after all the bad ones went through
    assertThat(tokens()).anySatisfy(t -> assertThat(t.getUrl()).isEqualTo("https://example.org/"));
  }

  @Test
  void theTrainerLearnsAndResumesFromItsCheckpointWithoutTrainingARecordTwice() throws Exception {
    MillraceConfig first = config.with(Map.of(TrainerKeys.MAX_STEPS, "30"));
    try (ContinuousTrainer trainer = TrainerClients.connect(first, new ByteLevelTokenizer())) {
      trainer.run();
      assertThat(trainer.step()).isEqualTo(30);
    }
    CheckpointStore checkpoints =
        new CheckpointStore(kafka.dataDir().resolve("checkpoints/default"), 3);
    Path latest = checkpoints.latest().orElseThrow();
    assertThat(latest.getFileName().toString()).isEqualTo("step-000000030");

    MillraceConfig second = config.with(Map.of(TrainerKeys.MAX_STEPS, "45"));
    try (ContinuousTrainer trainer = TrainerClients.connect(second, new ByteLevelTokenizer())) {
      assertThat(trainer.step()).as("resumed at the checkpointed step").isEqualTo(30);
      assertThat(trainer.position())
          .as("resumed at the checkpointed stream position")
          .isEqualTo(restoredPosition(checkpoints, latest, second));
      trainer.run();
    }

    List<TrainerProgress> progress = kafka.values(topics.progress(), AvroSerde.trainerProgress());
    assertThat(progress)
        .extracting(TrainerProgress::getStep)
        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 45).boxed().toList());
    float firstLoss = progress.get(0).getLoss();
    float lastLoss = progress.get(progress.size() - 1).getLoss();
    assertThat(lastLoss).as("loss after 45 steps below the first").isLessThan(firstLoss * 0.8f);

    StatusReport.Trainer status = new StatusReader(config).read().trainer();
    assertThat(status.step()).isEqualTo(45);
    assertThat(status.firstLoss()).isEqualTo(firstLoss);
    assertThat(status.latestLoss()).isEqualTo(lastLoss);
    assertThat(status.checkpointStep()).isEqualTo(40L);

    // Every progress record's position accounts exactly for the tokens trained: the train tokens in
    // the
    // records before its offsets, less those still pending, are step × batch × block. Offsets never
    // go
    // back. So across the restart no record was read twice and none was skipped.
    Map<TopicPartition, List<long[]>> trainTokensByOffset = trainTokenCounts();
    Map<TopicPartition, Long> previous = new HashMap<>();
    for (TrainerProgress update : progress) {
      long read = 0;
      for (var position : update.getPositions()) {
        TopicPartition partition = new TopicPartition(position.getTopic(), position.getPartition());
        assertThat(position.getNextOffset())
            .isGreaterThanOrEqualTo(previous.getOrDefault(partition, 0L));
        previous.put(partition, position.getNextOffset());
        for (long[] offsetAndCount : trainTokensByOffset.getOrDefault(partition, List.of())) {
          if (offsetAndCount[0] < position.getNextOffset()) {
            read += offsetAndCount[1];
          }
        }
      }
      assertThat(read - update.getPendingTokens())
          .as("tokens consumed by step %d", update.getStep())
          .isEqualTo(update.getStep() * BATCH * BLOCK);
    }
  }

  private static org.millrace.trainer.stream.TokenStreamPosition restoredPosition(
      CheckpointStore checkpoints, Path checkpoint, MillraceConfig config) throws Exception {
    CheckpointStore.Restored restored =
        checkpoints.restore(
            checkpoint, TrainerSettings.from(config, new ByteLevelTokenizer()).optimization());
    restored.model().close();
    return restored.position();
  }

  @Test
  void statusShowsEveryStagesLagAndTheTrainer() throws Exception {
    StatusReport report = new StatusReader(config).read();

    assertThat(report.stages())
        .extracting(StatusReport.Stage::stage)
        .containsExactly("clean", "dedup", "tokenize", "train");
    StatusReport.Stage clean = report.stages().get(0);
    assertThat(clean.group()).isEqualTo("millrace-clean");
    assertThat(clean.members()).isEqualTo(1);
    assertThat(clean.partitions()).hasSize(3);
    long rawEnd =
        report.topics().stream()
            .filter(topic -> topic.topic().equals(topics.raw()))
            .mapToLong(StatusReport.Topic::endOffsets)
            .sum();
    // The feeder writes in transactions: docs.raw's offsets count its commit markers too.
    assertThat(rawEnd).isGreaterThan(outcome().raw());
    assertThat(clean.committedOffsets()).isEqualTo(rawEnd);
    assertThat(clean.lag()).isZero();
    assertThat(report.topics())
        .filteredOn(topic -> topic.topic().equals(topics.tokens()))
        .singleElement()
        .satisfies(topic -> assertThat(topic.endOffsets()).isPositive());

    CommandRun json =
        CommandRun.of("status", "--json", "--set", "bootstrap.servers=" + kafka.bootstrapServers());
    assertThat(json.exitCode()).isZero();
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    assertThat(tree.get("bootstrapServers").asText()).isEqualTo(kafka.bootstrapServers());
    assertThat(tree.get("stages").get(0).get("lag").asLong()).isZero();
    assertThat(tree.get("stages").get(2).get("group").asText()).isEqualTo("millrace-tokenize");
  }

  private static Map<TopicPartition, List<long[]>> trainTokenCounts() {
    Map<TopicPartition, List<long[]>> counts = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : kafka.records(topics.tokens())) {
      TokenizedDocument document = AvroSerde.tokenizedDocument().decode(record.value());
      if (document.getSplit() == Split.TRAIN) {
        counts
            .computeIfAbsent(
                new TopicPartition(record.topic(), record.partition()), p -> new ArrayList<>())
            .add(new long[] {record.offset(), document.getTokenCount()});
      }
    }
    return counts;
  }
}
