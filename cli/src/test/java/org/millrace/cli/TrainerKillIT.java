package org.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.kafka.EmbeddedKafkaBroker;
import org.millrace.runtime.testing.TopicRecords;
import org.millrace.runtime.topics.TopicBootstrap;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.Split;
import org.millrace.schemas.TokenizedDocument;
import org.millrace.schemas.TrainerProgress;
import org.millrace.tokenizer.ByteLevelTokenizer;
import org.millrace.tokenizer.PackedTokenIds;
import org.millrace.trainer.ContinuousTrainer;
import org.millrace.trainer.TrainerClients;

/**
 * {@code millrace train} as a process of its own, killed with SIGKILL (no shutdown, no last
 * checkpoint) at a random step, then started again: the resumed run's per-step losses and stream
 * positions are those of a run that was never interrupted, bit for bit.
 */
class TrainerKillIT {

  private static final ByteLevelTokenizer TOKENIZER = new ByteLevelTokenizer();
  private static final int STEPS = 60;

  @TempDir static Path dataDir;
  private static EmbeddedKafkaBroker broker;
  private static MillraceConfig config;
  private static Topics topics;

  @BeforeAll
  static void aTokenStreamAlreadyInTheLog() throws Exception {
    broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0);
    config = MillraceConfig.of(settings());
    topics = Topics.of(config);
    try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
      TopicBootstrap.ensureTopics(admin, TopicBootstrap.specifications(config));
    }
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaClientProperties.producer(config, "test"))) {
      for (int document = 0; document < 200; document++) {
        int[] ids = TOKENIZER.encode(("Record " + document + " of the stream, trained exactly once. ").repeat(1 + document % 4));
        int[] withEnd = java.util.Arrays.copyOf(ids, ids.length + 1);
        withEnd[ids.length] = TOKENIZER.endOfTextId();
        TokenizedDocument tokens = TokenizedDocument.newBuilder()
            .setDocumentId("doc-" + document).setChunkIndex(0).setChunkCount(1).setTokenCount(withEnd.length).setTokenWidth(2)
            .setTokens(ByteBuffer.wrap(PackedTokenIds.pack(withEnd, 0, withEnd.length, 2)))
            .setTokenizerFingerprint(TOKENIZER.fingerprint()).setSplit(Split.TRAIN).setSource("test").build();
        producer.send(new ProducerRecord<>(topics.tokens(), ("doc-" + document).getBytes(StandardCharsets.UTF_8),
            AvroSerde.tokenizedDocument().encode(tokens)));
      }
    }
  }

  private static Map<String, String> settings() {
    Map<String, String> settings = new HashMap<>();
    settings.put(MillraceConfig.DATA_DIR, dataDir.toString());
    settings.put(MillraceConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
    settings.put(MillraceConfig.TOPICS_PARTITIONS, "3");
    settings.put(MillraceConfig.TRAINER_BATCH_SIZE, "4");
    settings.put(MillraceConfig.TRAINER_BLOCK_SIZE, "32");
    settings.put(MillraceConfig.TRAINER_WARMUP_STEPS, "5");
    settings.put(MillraceConfig.TRAINER_PROGRESS_INTERVAL_STEPS, "1");
    settings.put(MillraceConfig.TRAINER_CHECKPOINT_INTERVAL_STEPS, "7");
    settings.put(MillraceConfig.TRAINER_EVAL_INTERVAL_STEPS, "0");
    settings.put(MillraceConfig.TRAINER_PEAK_FLOPS, "1e11");
    settings.put(MillraceConfig.TRAINER_MAX_STEPS, String.valueOf(STEPS));
    return settings;
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt", "hybrid"})
  void aTrainerKilledAtARandomStepResumesExactlyAsIfNeverStopped(String architecture) throws Exception {
    String referenceRun = "reference-" + architecture;
    String killedRun = "killed-" + architecture;
    try (ContinuousTrainer reference = TrainerClients.connect(config.with(Map.of(MillraceConfig.TRAINER_RUN_ID, referenceRun,
        MillraceConfig.TRAINER_ARCHITECTURE, architecture)), TOKENIZER)) {
      reference.run();
    }
    int killAt = 10 + new Random().nextInt(STEPS - 20);
    System.err.println("TrainerKillIT: killing the " + architecture + " trainer process once it has published step " + killAt);

    Process first = train(killedRun, MillraceConfig.TRAINER_ARCHITECTURE, architecture);
    awaitStep(killedRun, killAt, first);
    first.destroyForcibly().waitFor();
    assertThat(first.exitValue()).as("killed, not stopped").isNotZero();

    Process second = train(killedRun, MillraceConfig.TRAINER_ARCHITECTURE, architecture);
    assertThat(second.waitFor()).as("the resumed process finishes normally").isZero();

    Map<Long, TrainerProgress> expected = lastProgressByStep(referenceRun);
    Map<Long, TrainerProgress> actual = lastProgressByStep(killedRun);
    assertThat(actual.keySet()).containsAll(expected.keySet()).hasSize(STEPS);
    for (long step = 1; step <= STEPS; step++) {
      assertThat(actual.get(step).getLoss()).as("loss of step %d (killed at about %d)", step, killAt)
          .isEqualTo(expected.get(step).getLoss());
      assertThat(actual.get(step).getPositions()).as("position after step %d", step).isEqualTo(expected.get(step).getPositions());
    }
  }

  @Test
  void killsWhileCheckpointsAreWrittenLeaveALoadableCheckpoint() throws Exception {
    Random random = new Random();
    for (int kill = 0; kill < 3; kill++) {
      Process trainer = train("checkpointing", MillraceConfig.TRAINER_CHECKPOINT_INTERVAL_STEPS, "1");
      awaitStep("checkpointing", 2 + 4 * kill, trainer);
      Thread.sleep(random.nextInt(300)); // somewhere in the middle of a step or a checkpoint
      trainer.destroyForcibly().waitFor();
    }
    MillraceConfig resumed = config.with(Map.of(MillraceConfig.TRAINER_RUN_ID, "checkpointing",
        MillraceConfig.TRAINER_CHECKPOINT_INTERVAL_STEPS, "1"));
    try (ContinuousTrainer trainer = TrainerClients.connect(resumed, TOKENIZER)) {
      assertThat(trainer.step()).isGreaterThanOrEqualTo(2);
      trainer.run();
      assertThat(trainer.step()).isEqualTo(STEPS);
    }
  }

  private static Process train(String runId, String... moreSettings) throws Exception {
    Map<String, String> settings = settings();
    settings.put(MillraceConfig.TRAINER_RUN_ID, runId);
    for (int i = 0; i < moreSettings.length; i += 2) {
      settings.put(moreSettings[i], moreSettings[i + 1]);
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), Millrace.class.getName(), "train"));
    settings.forEach((key, value) -> {
      command.add("--set");
      command.add(key + "=" + value);
    });
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dataDir.resolve(runId + ".log").toFile()).start();
  }

  private static void awaitStep(String runId, long step, Process process) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (lastProgressByStep(runId).keySet().stream().noneMatch(s -> s >= step)) {
      assertThat(process.isAlive()).as("the trainer process is running; see " + dataDir.resolve(runId + ".log")).isTrue();
      assertThat(System.nanoTime()).as("step %d within 2 minutes", step).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static Map<Long, TrainerProgress> lastProgressByStep(String runId) {
    Map<Long, TrainerProgress> byStep = new HashMap<>();
    TopicRecords.readAll(broker.bootstrapServers(), topics.progress()).stream()
        .map(r -> AvroSerde.trainerProgress().decode(r.value()))
        .filter(p -> p.getRunId().equals(runId))
        .forEach(p -> byStep.put(p.getStep(), p));
    return byStep;
  }
}
