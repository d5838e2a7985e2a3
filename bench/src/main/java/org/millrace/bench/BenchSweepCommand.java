package org.millrace.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.millrace.cli.commands.SweepGridOptions;
import org.millrace.cli.sweep.RunsCsv;
import org.millrace.cli.sweep.ScalingReport;
import org.millrace.cli.sweep.SweepGrid;
import org.millrace.cli.sweep.SweepRunner;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.kafka.EmbeddedKafkaBroker;
import org.millrace.runtime.topics.TopicBootstrap;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.Split;
import org.millrace.trainer.TrainerKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code millrace bench sweep}: {@code millrace sweep} on tinyshakespeare at character level,
 * through the tokens topic of an embedded broker, then the fit: docs/benchmarks.md's scaling law.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    header = "A scaling-law sweep on tinyshakespeare, through the token topic, and its fit.",
    description = {
      "The text's first 90%% goes to the tokens topic of an embedded broker as TRAIN records"
          + " (whole epochs,",
      "as many as the largest budget needs), the last 10%% as VALIDATION records. Then every"
          + " point of the",
      "grid trains as 'millrace sweep' trains it (block 64, batch 12, learning rate 1e-3 decayed"
          + " to 1e-4",
      "over each run, beta2 0.99, as shakespeare-char), and the law is fitted as 'sweep fit' fits"
          + " it. The runs",
      "file and the plot go to --out."
    })
public final class BenchSweepCommand implements Callable<Integer> {

  @ParentCommand BenchCommand parent;
  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "FILE",
      description = "tinyshakespeare: input.txt of karpathy/char-rnn's data/tinyshakespeare.")
  Path data;

  @Mixin SweepGridOptions gridOptions;

  @Option(
      names = "--out",
      defaultValue = "sweep-bench",
      description = "Folder for the runs file and the plot. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Override
  public Integer call() throws Exception {
    PrintWriter printer = spec.commandLine().getOut();
    SweepGrid grid = gridOptions.grid();
    ShakespeareText shakespeare = ShakespeareText.read(data);
    int[] ids = shakespeare.ids;
    int split = shakespeare.split;
    Path runsFile = out.resolve("shakespeare-sweep.csv");
    Files.deleteIfExists(runsFile); // the broker below is new: its runs are too
    Path dataDir = Files.createTempDirectory("millrace-sweep");
    long start = System.nanoTime();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0)) {
      MillraceConfig config =
          parent
              .millrace
              .config()
              .with(shakespeare.trainerSettings(broker, dataDir))
              .with(
                  Map.of(
                      TrainerKeys.WARMUP_STEPS, "10",
                      TrainerKeys.PROGRESS_INTERVAL_STEPS, "50",
                      TrainerKeys.EVAL_INTERVAL_STEPS, "0",
                      TrainerKeys.EVAL_TOKENS, "32768",
                      // MFU is not what this measures: skip the matmul probe at each point's start
                      TrainerKeys.PEAK_FLOPS, "1e11"));
      try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
        TopicBootstrap.ensureTopics(admin, TopicBootstrap.specifications(config));
      }
      long largest = grid.points().stream().mapToLong(point -> point.tokens()).max().orElseThrow();
      int epochs = (int) ((largest + 12 * 65 + split - 1) / split);
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(KafkaClientProperties.producer(config, "bench"))) {
        TokenTopicWriter writer =
            new TokenTopicWriter(
                producer,
                Topics.of(config).tokens(),
                shakespeare.tokenizer.fingerprint(),
                "tinyshakespeare");
        writer.send("validation", ids, split, ids.length, Split.VALIDATION);
        for (int epoch = 0; epoch < epochs; epoch++) {
          writer.send("train-epoch-" + epoch, ids, 0, split, Split.TRAIN);
        }
      }
      printer.printf(
          "tinyshakespeare: train %,d characters x %d epochs, validation %,d; %d points%n",
          split, epochs, ids.length - split, grid.points().size());
      new SweepRunner(config, shakespeare.tokenizer, "shakespeare", runsFile, printer)
          .run(grid.points());
    } finally {
      StageBenchmark.deleteScratch(dataDir);
    }
    printer.printf("RESULT millrace sweep wall=%.0fs%n", (System.nanoTime() - start) / 1e9);
    ScalingReport.write(
        RunsCsv.scalingRuns(runsFile),
        new ScalingReport.Options(200, 1337, 0),
        out.resolve("scaling"),
        printer);
    return 0;
  }
}
