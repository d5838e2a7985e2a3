package org.millrace.cli.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millrace.cli.CommandRun;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.KafkaBrokerExtension;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.Split;
import org.millrace.tokenizer.ByteLevelTokenizer;
import org.millrace.trainer.ContinuousTrainer;
import org.millrace.trainer.TrainerClients;
import org.millrace.trainer.TrainerKeys;
import org.millrace.trainer.TrainerSettings;
import org.millrace.trainer.testing.TokenRecords;

/**
 * A tiny sweep on a real broker: 2 sizes x 2 budgets, each point its own run from offset 0 to its
 * budget, one of them resumed from the checkpoint of a run killed half-way; then the same sweep
 * again, which trains nothing.
 */
class SweepIT {

  private static final ByteLevelTokenizer TOKENIZER = new ByteLevelTokenizer();
  private static final int TOKENS_PER_STEP = 2 * 16;

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();
  private static MillraceConfig config;

  @BeforeAll
  static void produceATokenStream() throws Exception {
    config =
        kafka.createTopics(
            kafka.config(
                Map.of(
                    MillraceConfig.TOPICS_PARTITIONS, "2",
                    TrainerKeys.BATCH_SIZE, "2",
                    TrainerKeys.BLOCK_SIZE, "16",
                    TrainerKeys.WARMUP_STEPS, "1",
                    TrainerKeys.CHECKPOINT_INTERVAL_STEPS, "1000",
                    TrainerKeys.EVAL_INTERVAL_STEPS, "0",
                    TrainerKeys.EVAL_TOKENS, "200",
                    TrainerKeys.PEAK_FLOPS, "1e10")));
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaClientProperties.producer(config, "test"))) {
      for (int document = 0; document < 40; document++) {
        String text = "Document " + document + ": the mill race turns the wheel. ";
        producer.send(
            TokenRecords.record(
                Topics.of(config).tokens(),
                null,
                TokenRecords.document(
                    "doc-" + document,
                    TokenRecords.withEndOfText(TOKENIZER, text.repeat(1 + document % 3)),
                    TOKENIZER.fingerprint(),
                    document % 8 == 0 ? Split.VALIDATION : Split.TRAIN)));
      }
    }
  }

  @Test
  void trainsEachPointFromOffsetZeroToItsBudgetResumesAndSkipsWhatIsDone() throws Exception {
    SweepGrid grid = new SweepGrid(List.of("1x32", "2x32"), List.of("160", "320"));
    Path runs = kafka.dataDir().resolve("sweep").resolve("runs.csv");

    // point 1 (1x32, 320 tokens) was killed after 4 of its 10 steps, with a checkpoint
    SweepPoint killed = grid.point(1);
    MillraceConfig killedConfig =
        config
            .with(killed.trainerSettings("test", TOKENS_PER_STEP))
            .with(Map.of(TrainerKeys.MAX_STEPS, "4"));
    try (ContinuousTrainer trainer = TrainerClients.connect(killedConfig, TOKENIZER)) {
      trainer.run();
    }

    StringWriter log = new StringWriter();
    boolean done =
        new SweepRunner(config, TOKENIZER, "test", runs, new PrintWriter(log)).run(grid.points());
    assertThat(done).isTrue();

    List<RunsCsv.Row> rows = RunsCsv.rows(runs);
    assertThat(rows)
        .extracting(row -> row.fields().get("run_id"))
        .containsExactly("test-1x32-160", "test-1x32-320", "test-2x32-160", "test-2x32-320");
    for (RunsCsv.Row row : rows) {
      long budget = Long.parseLong(row.fields().get("run_id").replaceAll(".*-", ""));
      assertThat(Long.parseLong(row.fields().get("tokens"))).isEqualTo(budget); // whole steps
      assertThat(Long.parseLong(row.fields().get("steps"))).isEqualTo(budget / TOKENS_PER_STEP);
      // trained a little: below a uniform guess over the byte vocabulary, ln 259 = 5.56
      assertThat(row.number("loss")).isLessThan(5.56);
    }
    assertThat(rows.get(2).number("params")).isGreaterThan(rows.get(0).number("params"));
    assertThat(RunsCsv.scalingRuns(runs)).hasSize(4);

    // every point read the topic from offset 0: same budget, same position, whatever the size
    Map<String, Long> read =
        rows.stream()
            .map(row -> row.fields().get("run_id"))
            .collect(Collectors.toMap(runId -> runId, SweepIT::committedRecords));
    assertThat(read.get("test-1x32-160")).isPositive().isEqualTo(read.get("test-2x32-160"));
    assertThat(read.get("test-1x32-320")).isEqualTo(read.get("test-2x32-320"));
    assertThat(read.get("test-1x32-320")).isGreaterThan(read.get("test-1x32-160"));

    // the killed point went on from its checkpoint at step 4, in its own run's folder
    Path killedRun = kafka.dataDir().resolve("checkpoints").resolve("test-1x32-320");
    try (var steps = Files.list(killedRun)) {
      assertThat(steps.map(path -> path.getFileName().toString()))
          .contains("step-000000004", "step-000000010");
    }
    assertThat(log.toString()).contains("point 1 (test-1x32-320)");

    // the same sweep again: every point is done, nothing trains, the file is unchanged
    String before = Files.readString(runs);
    StringWriter again = new StringWriter();
    new SweepRunner(config, TOKENIZER, "test", runs, new PrintWriter(again)).run(grid.points());
    assertThat(Files.readString(runs)).isEqualTo(before);
    assertThat(again.toString().lines().filter(line -> line.endsWith("done, in " + runs)))
        .hasSize(4);

    // the command, on the same grid: nothing to train, then the fit, which 4 runs are too few for
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "sweep",
                "--sizes",
                "1x32,2x32",
                "--tokens",
                "160,320",
                "--name",
                "test",
                "--runs",
                runs.toString(),
                "--set",
                TrainerKeys.BATCH_SIZE + "=2",
                "--set",
                TrainerKeys.BLOCK_SIZE + "=16",
                "--set",
                TrainerKeys.WARMUP_STEPS + "=1"));
    kafka.settings().forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
    CommandRun sweep = CommandRun.of(command.toArray(String[]::new));
    assertThat(sweep.out()).contains("point 3 (test-2x32-320): done");
    assertThat(sweep.exitCode()).isEqualTo(1);
    assertThat(sweep.err()).contains("4 runs: fitting L(N, D)").contains("at least 5");
  }

  @Test
  void aPointShorterThanTheWarmUpIsRefusedBeforeAnyTraining() {
    SweepGrid grid = new SweepGrid(List.of("1x32"), List.of("320", "32"));
    Path runs = kafka.dataDir().resolve("sweep").resolve("short.csv");
    SweepRunner runner =
        new SweepRunner(
            config.with(Map.of(TrainerKeys.WARMUP_STEPS, "2")),
            TOKENIZER,
            "short",
            runs,
            new PrintWriter(new StringWriter()));

    assertThatThrownBy(() -> runner.run(grid.points()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("point 1 (short-1x32-32) trains 1 steps of 32 tokens")
        .hasMessageContaining("trainer.warmup.steps (2)");
    assertThat(kafka.dataDir().resolve("checkpoints").resolve("short-1x32-320")).doesNotExist();
    assertThat(runs).doesNotExist();
  }

  /** Token records the run's consumer group has committed, over every partition. */
  private static long committedRecords(String runId) {
    try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets(TrainerSettings.groupOf(runId))
              .partitionsToOffsetAndMetadata()
              .get();
      return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
