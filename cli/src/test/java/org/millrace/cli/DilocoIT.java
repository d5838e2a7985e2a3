package org.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millrace.cli.local.TrainerMeters;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.KafkaBrokerExtension;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.Split;
import org.millrace.tokenizer.ByteLevelTokenizer;
import org.millrace.trainer.ContinuousTrainer;
import org.millrace.trainer.TrainerClients;
import org.millrace.trainer.TrainerKeys;
import org.millrace.trainer.diloco.DilocoWorker;
import org.millrace.trainer.testing.TokenRecords;

/**
 * Two DiLoCo workers of one model, each {@code millrace train --workers 2 --worker I} in a process
 * of its own, on a real broker with the real engine: every round they apply the same outer step,
 * and a worker SIGKILLed mid-round is left out of the rounds that close by timeout without it, then
 * catches up from the sync topic and rejoins.
 */
class DilocoIT {

  private static final ByteLevelTokenizer TOKENIZER = new ByteLevelTokenizer();
  private static final int INNER_STEPS = 3;
  private static final Duration PROCESS_LIMIT = Duration.ofMinutes(2);
  private static final String GLOBAL = DilocoWorker.GLOBAL_FILE;
  private static final String MODEL = "model.safetensors";

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  @Test
  void twoWorkersHoldTheSameParametersEveryRoundAndAKillInTimeForTheRoundChangesNothing()
      throws Exception {
    Map<String, String> together = pipeline("together", 60_000);

    Process worker0 = train(together, 0, 3 * INNER_STEPS);
    Process worker1 = train(together, 1, 3 * INNER_STEPS);
    assertFinished(worker0, together, 0);
    assertFinished(worker1, together, 1);

    // every round's checkpoint holds the same global parameters, momentum and model on both
    for (long step = INNER_STEPS; step <= 3 * INNER_STEPS; step += INNER_STEPS) {
      assertSameRound(together, 0, step, together, 1, step);
    }
    // ... and the rounds moved the model
    assertThat(Files.readAllBytes(checkpoint(together, 0, 3 * INNER_STEPS, GLOBAL)))
        .isNotEqualTo(Files.readAllBytes(checkpoint(together, 0, INNER_STEPS, GLOBAL)));
    for (int round = 1; round <= 3; round++) {
      assertThat(log(together, 0)).contains("Round " + round + " closed with 2 of 2 contributions");
    }
    // two contributions of one chunk a round; no round needed a close marker
    List<ConsumerRecord<byte[], byte[]>> sync = kafka.records(topics(together).trainerSync());
    assertThat(sync)
        .hasSize(6)
        .allSatisfy(record -> assertThat(kind(record)).isEqualTo("pseudo-gradient"));
    // each worker read its own partition: p mod 2 = I
    assertThat(log(together, 0)).contains("reads partitions [together.tokens-0]");
    assertThat(log(together, 1)).contains("reads partitions [together.tokens-1]");

    // The same run on the same tokens, but worker 1 is SIGKILLed early in round 2 and restarted
    // while worker 0 still waits for it: exactly-once per worker makes every round the same, bit
    // for bit, as the uninterrupted run's.
    Map<String, String> resumed = pipeline("resumed", 60_000);
    worker0 = train(resumed, 0, 3 * INNER_STEPS);
    worker1 = train(resumed, 1, 3 * INNER_STEPS);
    awaitLogLine(resumed, 1, "step " + (INNER_STEPS + 1) + " |", worker1);
    worker1.destroyForcibly().waitFor();
    worker1 = train(resumed, 1, 3 * INNER_STEPS);
    assertFinished(worker0, resumed, 0);
    assertFinished(worker1, resumed, 1);
    assertThat(log(resumed, 1))
        .contains("Resumed run 'resumed' from step-" + String.format("%09d", INNER_STEPS));
    for (long step = INNER_STEPS; step <= 3 * INNER_STEPS; step += INNER_STEPS) {
      assertSameRound(together, 0, step, resumed, 0, step);
      assertSameRound(together, 1, step, resumed, 1, step);
    }

    // Worker 1 of the first run loses its round-3 checkpoint, as if killed after sending round 3
    // and before checkpointing it. Round 3 closed with its contribution, so it trains the round
    // again from its round-2 checkpoint (not once more on later tokens) and ends where it was.
    byte[] lostModel = Files.readAllBytes(checkpoint(together, 1, 3 * INNER_STEPS, MODEL));
    deleteCheckpoint(together, 1, 3 * INNER_STEPS);
    assertFinished(train(together, 1, 3 * INNER_STEPS), together, 1);
    assertThat(log(together, 1))
        .contains("Round 3 closed with this worker's contribution, sent before it restarted");
    assertThat(Files.readAllBytes(checkpoint(together, 1, 3 * INNER_STEPS, MODEL)))
        .isEqualTo(lostModel);
    assertSameRound(together, 0, 3 * INNER_STEPS, together, 1, 3 * INNER_STEPS);
  }

  @Test
  void aWorkerKilledMidRoundIsLeftOutByTimeoutThenCatchesUpAndRejoins() throws Exception {
    Map<String, String> settings = pipeline("killed", 2_000);
    settings.put(TrainerKeys.DILOCO_ENCODING, "fp16"); // half the bytes; the same rules

    // Round 1 with both; worker 1 is SIGKILLed early in round 2, with no checkpoint since round 1.
    Process worker0 = train(settings, 0, 3 * INNER_STEPS);
    Process worker1 = train(settings, 1, 100);
    awaitLogLine(settings, 1, "step " + (INNER_STEPS + 1) + " |", worker1);
    worker1.destroyForcibly().waitFor();
    assertFinished(worker0, settings, 0);
    // rounds 2 and 3 closed when worker 0's timeout passed, with its contribution alone
    for (int round = 2; round <= 3; round++) {
      assertThat(log(settings, 0))
          .contains(
              "Round "
                  + round
                  + " closed with 1 of 2 contributions (workers [0], closed by worker 0's"
                  + " timeout)");
    }

    // Worker 1, started again in this JVM (without training), catches up on rounds 2 and 3 from
    // the sync topic; its metrics say that the last round closed without it.
    Map<String, String> worker1Settings = new HashMap<>(settings);
    worker1Settings.put(TrainerKeys.DILOCO_WORKERS, "2");
    worker1Settings.put(TrainerKeys.DILOCO_WORKER, "1");
    try (ContinuousTrainer rejoining =
        TrainerClients.connect(MillraceConfig.of(worker1Settings), TOKENIZER)) {
      assertThat(rejoining.step()).isEqualTo(INNER_STEPS);
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      TrainerMeters.bind(meters, rejoining, "killed");
      assertThat(diloco(meters, "round")).isEqualTo(3);
      assertThat(diloco(meters, "round.contributions")).isEqualTo(1);
      assertThat(diloco(meters, "round.included")).isZero();
      assertThat(meters.get("millrace.trainer.diloco.sent").functionCounter().count()).isZero();
    }

    // Worker 1 restarts from its round-1 checkpoint (the one above wrote none), catches up again,
    // and trains round 4 with worker 0, which closes with both.
    settings.put(TrainerKeys.DILOCO_ROUND_TIMEOUT_MS, "60000");
    worker0 = train(settings, 0, 4 * INNER_STEPS);
    worker1 = train(settings, 1, 2 * INNER_STEPS);
    assertFinished(worker0, settings, 0);
    assertFinished(worker1, settings, 1);
    assertThat(log(settings, 1)).contains("Worker 1 caught up 2 round(s) from the sync topic");
    assertThat(log(settings, 0)).contains("Round 4 closed with 2 of 2 contributions");
    assertThat(log(settings, 1)).contains("Round 4 closed with 2 of 2 contributions");

    assertSameRound(settings, 0, 4 * INNER_STEPS, settings, 1, 2 * INNER_STEPS);
    // contributions went as fp16: two bytes a parameter
    assertThat(kafka.records(topics(settings).trainerSync()))
        .filteredOn(record -> kind(record).equals("pseudo-gradient"))
        .isNotEmpty()
        .allSatisfy(
            record ->
                assertThat(record.value().length)
                    .isEqualTo(2 * Integer.parseInt(header(record, "millrace.total.values"))));
  }

  @Test
  void moreWorkersThanTokenPartitionsOrNoSyncTopicAreRefused() throws Exception {
    Map<String, String> settings = pipeline("crowded", 1_000);
    settings.put(TrainerKeys.DILOCO_WORKERS, "3");

    assertThatThrownBy(() -> TrainerClients.connect(MillraceConfig.of(settings), TOKENIZER).close())
        .hasMessageContaining("3 workers cannot share 2 partitions of crowded.tokens");

    settings.put(TrainerKeys.DILOCO_WORKERS, "2");
    try (Admin admin = Admin.create(KafkaClientProperties.admin(MillraceConfig.of(settings)))) {
      admin.deleteTopics(List.of("crowded.trainer.sync")).all().get();
    }
    assertThatThrownBy(() -> TrainerClients.connect(MillraceConfig.of(settings), TOKENIZER).close())
        .hasMessageContaining("topic crowded.trainer.sync does not exist")
        .hasMessageContaining("millrace topics");
  }

  /**
   * The settings of a run of two workers on a pipeline of two token partitions, 40 documents on
   * each, with this round timeout.
   */
  private static Map<String, String> pipeline(String name, long roundTimeoutMs) throws Exception {
    Map<String, String> settings = kafka.settings();
    settings.put(MillraceConfig.TOPICS_PREFIX, name + ".");
    settings.put(MillraceConfig.DATA_DIR, kafka.dataDir().resolve(name).toString());
    settings.put(MillraceConfig.TOPICS_PARTITIONS, "2");
    settings.put(MillraceConfig.METRICS_PORT, "-1");
    settings.put(TrainerKeys.RUN_ID, name);
    settings.put(TrainerKeys.BATCH_SIZE, "4");
    settings.put(TrainerKeys.BLOCK_SIZE, "32");
    settings.put(TrainerKeys.WARMUP_STEPS, "2");
    settings.put(TrainerKeys.PROGRESS_INTERVAL_STEPS, "1");
    settings.put(TrainerKeys.EVAL_INTERVAL_STEPS, "0");
    settings.put(TrainerKeys.PEAK_FLOPS, "1e11");
    settings.put(TrainerKeys.DILOCO_INNER_STEPS, String.valueOf(INNER_STEPS));
    settings.put(TrainerKeys.DILOCO_ROUND_TIMEOUT_MS, String.valueOf(roundTimeoutMs));
    MillraceConfig config = kafka.createTopics(MillraceConfig.of(settings));
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaClientProperties.producer(config, "test"))) {
      for (int document = 0; document < 80; document++) {
        String text =
            "Document " + document + ": the mill race turns the wheel, the wheel turns the stone. ";
        int[] ids = TokenRecords.withEndOfText(TOKENIZER, text.repeat(1 + document % 2));
        producer.send(
            TokenRecords.record(
                Topics.of(config).tokens(),
                document % 2,
                TokenRecords.document(
                    "doc-" + document, ids, TOKENIZER.fingerprint(), Split.TRAIN)));
      }
    }
    return settings;
  }

  private static Process train(Map<String, String> settings, int worker, long maxSteps)
      throws Exception {
    Map<String, String> run = new HashMap<>(settings);
    run.put(TrainerKeys.MAX_STEPS, String.valueOf(maxSteps));
    return ChildJvm.millrace(
        run,
        logFile(settings, worker),
        "train",
        "--workers",
        "2",
        "--worker",
        String.valueOf(worker));
  }

  private static void assertFinished(Process process, Map<String, String> settings, int worker)
      throws Exception {
    assertThat(process.waitFor(PROCESS_LIMIT.toSeconds(), TimeUnit.SECONDS))
        .as(
            "worker %d finished within %s; see %s",
            worker, PROCESS_LIMIT, logFile(settings, worker))
        .isTrue();
    assertThat(process.exitValue())
        .as("worker %d's exit status; see %s", worker, logFile(settings, worker))
        .isZero();
  }

  private static void awaitLogLine(
      Map<String, String> settings, int worker, String line, Process process) throws Exception {
    long deadline = System.nanoTime() + PROCESS_LIMIT.toNanos();
    while (!log(settings, worker).contains(line)) {
      assertThat(process.isAlive())
          .as("worker %d is running; see %s", worker, logFile(settings, worker))
          .isTrue();
      assertThat(System.nanoTime()).as("'%s' within %s", line, PROCESS_LIMIT).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static Topics topics(Map<String, String> settings) {
    return Topics.withPrefix(settings.get(MillraceConfig.TOPICS_PREFIX));
  }

  private static Path logFile(Map<String, String> settings, int worker) {
    return Path.of(settings.get(MillraceConfig.DATA_DIR))
        .resolveSibling(settings.get(TrainerKeys.RUN_ID) + "-worker-" + worker + ".log");
  }

  private static String log(Map<String, String> settings, int worker) throws Exception {
    Path file = logFile(settings, worker);
    return Files.exists(file) ? Files.readString(file) : "";
  }

  private static double diloco(SimpleMeterRegistry meters, String gauge) {
    return meters
        .get("millrace.trainer.diloco." + gauge)
        .tags("run", "killed", "worker", "1")
        .gauge()
        .value();
  }

  private static void deleteCheckpoint(Map<String, String> settings, int worker, long step)
      throws Exception {
    Path folder = checkpoint(settings, worker, step, MODEL).getParent();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  private static String kind(ConsumerRecord<byte[], byte[]> record) {
    return header(record, "millrace.kind");
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static Path checkpoint(Map<String, String> settings, int worker, long step, String file) {
    return Path.of(settings.get(MillraceConfig.DATA_DIR))
        .resolve("checkpoints")
        .resolve(settings.get(TrainerKeys.RUN_ID))
        .resolve("worker-" + worker)
        .resolve(String.format("step-%09d", step))
        .resolve(file);
  }

  /**
   * Asserts that the checkpoints of two workers (of one run or two) hold the same global
   * parameters, outer momentum and model, byte for byte.
   */
  private static void assertSameRound(
      Map<String, String> run,
      int worker,
      long step,
      Map<String, String> otherRun,
      int other,
      long otherStep)
      throws Exception {
    for (String file : List.of(GLOBAL, DilocoWorker.MOMENTUM_FILE, MODEL)) {
      assertThat(Files.readAllBytes(checkpoint(otherRun, other, otherStep, file)))
          .as(
              "%s of %s worker %d at step %d against %s worker %d at step %d",
              file,
              otherRun.get(TrainerKeys.RUN_ID),
              other,
              otherStep,
              run.get(TrainerKeys.RUN_ID),
              worker,
              step)
          .isEqualTo(Files.readAllBytes(checkpoint(run, worker, step, file)));
    }
  }
}
