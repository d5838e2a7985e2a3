package org.millrace.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.KafkaBrokerExtension;
import org.millrace.runtime.topics.TopicBootstrap;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.RejectedDocument;
import org.millrace.schemas.Split;
import org.millrace.schemas.TrainerProgress;
import org.millrace.tokenizer.ByteLevelTokenizer;
import org.millrace.trainer.stream.RetentionException;
import org.millrace.trainer.stream.TokenizerMismatchException;
import org.millrace.trainer.testing.TokenRecords;

/**
 * Exactly-once training on a real broker: a run interrupted after its last checkpoint and resumed
 * trains the same tokens, with the same per-step losses, as a run that was never interrupted.
 */
class TrainerResumeIT {

  private static final ByteLevelTokenizer TOKENIZER = new ByteLevelTokenizer();

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();
  private static MillraceConfig config;
  private static Topics topics;

  @BeforeAll
  static void produceATokenStream() throws Exception {
    config =
        kafka.config(
            Map.of(
                // several partitions: the round-robin order makes the stream's order the log's
                MillraceConfig.TOPICS_PARTITIONS, "3",
                TrainerKeys.BATCH_SIZE, "4",
                TrainerKeys.BLOCK_SIZE, "32",
                TrainerKeys.WARMUP_STEPS, "2",
                TrainerKeys.PROGRESS_INTERVAL_STEPS, "1",
                TrainerKeys.CHECKPOINT_INTERVAL_STEPS, "8",
                TrainerKeys.EVAL_INTERVAL_STEPS, "6",
                TrainerKeys.EVAL_TOKENS, "200"));
    topics = Topics.of(kafka.createTopics(config));
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaClientProperties.producer(config, "test"))) {
      for (int document = 0; document < 60; document++) {
        String text =
            "Document " + document + ": the mill race turns the wheel, the wheel turns the stone. ";
        producer.send(
            tokens(
                "doc-" + document,
                text.repeat(1 + document % 3),
                Split.TRAIN,
                TOKENIZER.fingerprint()));
        if (document % 10 == 0) {
          producer.send(
              tokens(
                  "held-out-" + document,
                  "validation text " + document + ", never trained on, evaluated every few steps. ",
                  Split.VALIDATION,
                  TOKENIZER.fingerprint()));
          producer.send(
              new ProducerRecord<>(
                  topics.tokens(),
                  "corrupt".getBytes(StandardCharsets.UTF_8),
                  new byte[] {(byte) 0xC3, 1, 9}));
        }
      }
    }
  }

  @Test
  void anInterruptedRunResumedFromItsCheckpointReproducesTheUninterruptedRun() throws Exception {
    train("uninterrupted", 24);

    train("interrupted", 20); // checkpoints at 8, 16 and, on stopping, 20
    deleteCheckpoint(
        "interrupted", 20); // as if the process died after step 20, before that checkpoint
    ContinuousTrainer resumed = TrainerClients.connect(runConfig("interrupted", 24), TOKENIZER);
    assertThat(resumed.step()).isEqualTo(16);
    resumed.run();
    resumed.close();

    Map<Long, TrainerProgress> uninterrupted = lastProgressByStep("uninterrupted");
    Map<Long, TrainerProgress> interrupted = lastProgressByStep("interrupted");
    assertThat(uninterrupted.keySet()).hasSize(24);
    for (long step = 1; step <= 24; step++) {
      TrainerProgress expected = uninterrupted.get(step);
      TrainerProgress actual = interrupted.get(step);
      assertThat(actual.getLoss()).as("loss of step %d", step).isEqualTo(expected.getLoss());
      assertThat(actual.getPositions())
          .as("position after step %d", step)
          .isEqualTo(expected.getPositions());
      assertThat(actual.getPendingTokens()).isEqualTo(expected.getPendingTokens());
      assertThat(actual.getValidationLoss())
          .as("validation loss at step %d", step)
          .isEqualTo(expected.getValidationLoss());
    }
    assertThat(uninterrupted.get(24L).getLoss()).isLessThan(uninterrupted.get(1L).getLoss());
    // the fixed validation set is evaluated every 6 steps, and the model gets better on it
    assertThat(uninterrupted.get(5L).getValidationLoss()).isNull();
    assertThat(uninterrupted.get(6L).getValidationLoss()).isNotNull();
    assertThat(uninterrupted.get(24L).getValidationLoss())
        .isLessThan(uninterrupted.get(6L).getValidationLoss());
    assertThat(uninterrupted.get(24L).getInputStall()).isBetween(0.0, 1.0);
    assertThat(uninterrupted.get(24L).getModelFlopsUtilization()).isBetween(0.0, 1.0);
  }

  @Test
  void recordsDeletedByRetentionBeforeTheTrainerReadThemStopItUnlessToldToGoOn() throws Exception {
    MillraceConfig retention =
        config.with(
            Map.of(
                MillraceConfig.TOPICS_PREFIX,
                "retention.",
                TrainerKeys.RUN_ID,
                "retention",
                TrainerKeys.MAX_STEPS,
                "4"));
    Topics retentionTopics = Topics.of(retention);
    try (Admin admin = Admin.create(KafkaClientProperties.admin(retention))) {
      TopicBootstrap.ensureTopics(admin, TopicBootstrap.specifications(retention));
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(KafkaClientProperties.producer(retention, "test"))) {
        for (int document = 0; document < 60; document++) {
          ProducerRecord<byte[], byte[]> record =
              tokens(
                  "doc-" + document,
                  "Kept for a while, then deleted by retention. ".repeat(3),
                  Split.TRAIN,
                  TOKENIZER.fingerprint());
          producer.send(
              new ProducerRecord<>(retentionTopics.tokens(), record.key(), record.value()));
        }
      }
      ContinuousTrainer first = TrainerClients.connect(retention, TOKENIZER);
      first.run();
      Map<TopicPartition, Long> checkpointed = first.position().nextOffsets();
      first.close();
      // Retention deletes two records the trainer has not read on partition 0.
      TopicPartition partition = new TopicPartition(retentionTopics.tokens(), 0);
      long deleteBefore = checkpointed.get(partition) + 2;
      admin
          .deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(deleteBefore)))
          .all()
          .get();

      MillraceConfig more = retention.with(Map.of(TrainerKeys.MAX_STEPS, "8"));
      assertThatThrownBy(() -> TrainerClients.connect(more, TOKENIZER).close())
          .isInstanceOf(RetentionException.class)
          .hasMessageContaining(partition.toString())
          .hasMessageContaining("must resume at offset " + checkpointed.get(partition))
          .hasMessageContaining("now starts at " + deleteBefore)
          .hasMessageContaining("trainer.retention.skip");

      try (ContinuousTrainer skipping =
          TrainerClients.connect(
              more.with(Map.of(TrainerKeys.RETENTION_SKIP, "true")), TOKENIZER)) {
        skipping.run();
        assertThat(skipping.step()).isEqualTo(8);
        assertThat(skipping.recordsDeletedByRetention()).isEqualTo(2);
      }
    }
  }

  @Test
  void aCorruptTokenRecordIsRejectedAndTheValidationSplitIsNotTrainedOn() throws Exception {
    train("rejections", 30);

    List<RejectedDocument> rejected = kafka.values(topics.rejected(), AvroSerde.rejectedDocument());
    assertThat(rejected)
        .anySatisfy(
            r -> {
              assertThat(r.getId()).isEqualTo("corrupt");
              assertThat(r.getStage()).isEqualTo("train");
              assertThat(r.getReason()).isEqualTo("malformed_avro");
            });
  }

  @Test
  void tokensFromAnotherTokenizerAreRefusedNamingBothTokenizers() throws Exception {
    MillraceConfig other =
        kafka.createTopics(
            config.with(
                Map.of(MillraceConfig.TOPICS_PREFIX, "other.", TrainerKeys.RUN_ID, "mismatch")));
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaClientProperties.producer(other, "test"))) {
      ProducerRecord<byte[], byte[]> record =
          tokens("foreign", "x".repeat(500), Split.TRAIN, "gpt2-0123456789");
      producer.send(new ProducerRecord<>("other.tokens", record.key(), record.value()));
    }

    try (ContinuousTrainer trainer = TrainerClients.connect(other, TOKENIZER)) {
      assertThatThrownBy(trainer::run)
          .isInstanceOf(TokenizerMismatchException.class)
          .hasMessageContaining("gpt2-0123456789")
          .hasMessageContaining(TOKENIZER.fingerprint())
          .hasMessageContaining("foreign");
    }
  }

  private static void train(String runId, long maxSteps) throws Exception {
    try (ContinuousTrainer trainer =
        TrainerClients.connect(runConfig(runId, maxSteps), TOKENIZER)) {
      trainer.run();
      assertThat(trainer.step()).isEqualTo(maxSteps);
    }
  }

  private static MillraceConfig runConfig(String runId, long maxSteps) {
    return config.with(
        Map.of(TrainerKeys.RUN_ID, runId, TrainerKeys.MAX_STEPS, String.valueOf(maxSteps)));
  }

  private static void deleteCheckpoint(String runId, long step) throws Exception {
    Path checkpoint =
        kafka
            .dataDir()
            .resolve("checkpoints")
            .resolve(runId)
            .resolve(String.format("step-%09d", step));
    assertThat(checkpoint).isDirectory();
    try (Stream<Path> files = Files.walk(checkpoint)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  /**
   * The last progress record of each step of a run (a resumed run publishes its replayed steps
   * again).
   */
  private static Map<Long, TrainerProgress> lastProgressByStep(String runId) {
    return kafka.values(topics.progress(), AvroSerde.trainerProgress()).stream()
        .filter(p -> p.getRunId().equals(runId))
        .collect(Collectors.toMap(TrainerProgress::getStep, p -> p, (earlier, later) -> later));
  }

  private static ProducerRecord<byte[], byte[]> tokens(
      String id, String text, Split split, String fingerprint) {
    int[] ids = TokenRecords.withEndOfText(TOKENIZER, text);
    return TokenRecords.record(
        topics.tokens(), null, TokenRecords.document(id, ids, fingerprint, split));
  }
}
