package org.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.KafkaBrokerExtension;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.Split;
import org.millrace.schemas.TrainerProgress;
import org.millrace.tokenizer.ByteLevelTokenizer;
import org.millrace.trainer.ContinuousTrainer;
import org.millrace.trainer.TrainerClients;
import org.millrace.trainer.TrainerKeys;
import org.millrace.trainer.testing.TokenRecords;

/**
 * {@code millrace train} as a process of its own, killed with SIGKILL (no shutdown, no last
 * checkpoint) at a random step, then started again: the resumed run's per-step losses and stream
 * positions are those of a run that was never interrupted, bit for bit.
 */
public class TrainerKillIT {

  private static final ByteLevelTokenizer TOKENIZER = new ByteLevelTokenizer();
  private static final int STEPS = 60;

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();
  private static MillraceConfig config;
  private static Topics topics;

  @BeforeAll
  static void aTokenStreamAlreadyInTheLog() throws Exception {
    config = kafka.createTopics(MillraceConfig.of(settings()));
    topics = Topics.of(config);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaClientProperties.producer(config, "test"))) {
      for (int document = 0; document < 200; document++) {
        int[] ids =
            TokenRecords.withEndOfText(
                TOKENIZER,
                ("Record " + document + " of the stream, trained exactly once. ")
                    .repeat(1 + document % 4));
        producer.send(
            TokenRecords.record(
                topics.tokens(),
                null,
                TokenRecords.document(
                    "doc-" + document, ids, TOKENIZER.fingerprint(), Split.TRAIN)));
      }
    }
  }

  private static Map<String, String> settings() {
    Map<String, String> settings = kafka.settings();
    settings.putAll(
        Map.of(
            MillraceConfig.TOPICS_PARTITIONS, "3",
            TrainerKeys.BATCH_SIZE, "4",
            TrainerKeys.BLOCK_SIZE, "32",
            TrainerKeys.WARMUP_STEPS, "5",
            TrainerKeys.PROGRESS_INTERVAL_STEPS, "1",
            TrainerKeys.CHECKPOINT_INTERVAL_STEPS, "7",
            TrainerKeys.EVAL_INTERVAL_STEPS, "0",
            TrainerKeys.PEAK_FLOPS, "1e11",
            TrainerKeys.MAX_STEPS, String.valueOf(STEPS)));
    return settings;
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt", "hybrid"})
  void aTrainerKilledAtARandomStepResumesExactlyAsIfNeverStopped(String architecture)
      throws Exception {
    String referenceRun = "reference-" + architecture;
    String killedRun = "killed-" + architecture;
    try (ContinuousTrainer reference =
        TrainerClients.connect(
            config.with(
                Map.of(TrainerKeys.RUN_ID, referenceRun, TrainerKeys.ARCHITECTURE, architecture)),
            TOKENIZER)) {
      reference.run();
    }
    int killAt = 10 + new Random().nextInt(STEPS - 20);
    System.err.println(
        "TrainerKillIT: killing the "
            + architecture
            + " trainer process once it has published step "
            + killAt);

    Process first = train(killedRun, TrainerKeys.ARCHITECTURE, architecture);
    awaitStep(killedRun, killAt, first);
    first.destroyForcibly().waitFor();
    assertThat(first.exitValue()).as("killed, not stopped").isNotZero();

    Process second = train(killedRun, TrainerKeys.ARCHITECTURE, architecture);
    assertThat(second.waitFor()).as("the resumed process finishes normally").isZero();

    Map<Long, TrainerProgress> expected = lastProgressByStep(referenceRun);
    Map<Long, TrainerProgress> actual = lastProgressByStep(killedRun);
    assertThat(actual.keySet()).containsAll(expected.keySet()).hasSize(STEPS);
    for (long step = 1; step <= STEPS; step++) {
      assertThat(actual.get(step).getLoss())
          .as("loss of step %d (killed at about %d)", step, killAt)
          .isEqualTo(expected.get(step).getLoss());
      assertThat(actual.get(step).getPositions())
          .as("position after step %d", step)
          .isEqualTo(expected.get(step).getPositions());
    }
  }

  @Test
  void killsWhileCheckpointsAreWrittenLeaveALoadableCheckpoint() throws Exception {
    Random random = new Random();
    for (int kill = 0; kill < 3; kill++) {
      Process trainer = train("checkpointing", TrainerKeys.CHECKPOINT_INTERVAL_STEPS, "1");
      awaitStep("checkpointing", 2 + 4 * kill, trainer);
      Thread.sleep(random.nextInt(300)); // somewhere in the middle of a step or a checkpoint
      trainer.destroyForcibly().waitFor();
    }
    MillraceConfig resumed =
        config.with(
            Map.of(
                TrainerKeys.RUN_ID, "checkpointing", TrainerKeys.CHECKPOINT_INTERVAL_STEPS, "1"));
    try (ContinuousTrainer trainer = TrainerClients.connect(resumed, TOKENIZER)) {
      assertThat(trainer.step()).isGreaterThanOrEqualTo(2);
      trainer.run();
      assertThat(trainer.step()).isEqualTo(STEPS);
    }
  }

  private static Process train(String runId, String... moreSettings) throws Exception {
    Map<String, String> settings = settings();
    settings.put(TrainerKeys.RUN_ID, runId);
    for (int i = 0; i < moreSettings.length; i += 2) {
      settings.put(moreSettings[i], moreSettings[i + 1]);
    }
    return ChildJvm.millrace(settings, kafka.dataDir().resolve(runId + ".log"), "train");
  }

  private static void awaitStep(String runId, long step, Process process)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (lastProgressByStep(runId).keySet().stream().noneMatch(s -> s >= step)) {
      assertThat(process.isAlive())
          .as("the trainer process is running; see " + kafka.dataDir().resolve(runId + ".log"))
          .isTrue();
      assertThat(System.nanoTime()).as("step %d within 2 minutes", step).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static Map<Long, TrainerProgress> lastProgressByStep(String runId) {
    return kafka.values(topics.progress(), AvroSerde.trainerProgress()).stream()
        .filter(p -> p.getRunId().equals(runId))
        .collect(Collectors.toMap(TrainerProgress::getStep, p -> p, (earlier, later) -> later));
  }
}
