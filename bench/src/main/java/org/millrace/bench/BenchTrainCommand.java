package org.millrace.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import org.millrace.trainer.model.GptConfig;
import org.millrace.trainer.optim.AdamWConfig;
import org.millrace.trainer.optim.LearningRateSchedule;
import org.millrace.trainer.optim.ModelTrainer;
import org.millrace.trainer.optim.OptimizerConfig;
import org.millrace.trainer.optim.TrainingStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code millrace bench train}: the training step alone, on the shapes of {@code
 * bench/src/main/python/torch_gpt_reference.py}, to compare with eager PyTorch in the same run.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    header = "Tokens/s of the training step on the reference shapes A and B.",
    description = {
      "The model, optimizer and batches of bench/src/main/python/torch_gpt_reference.py: a"
          + " GPT-2-style model",
      "with tied embeddings, AdamW (lr 6e-4, betas 0.9/0.95, weight decay 0.1 on matrices),"
          + " global-norm",
      "clipping at 1.0, batches of uniformly random token ids. A: 4 layers, 4 heads, 128 wide,"
          + " block 64,",
      "batch 12, vocabulary 4096. B: 6 layers, 6 heads, 384 wide, block 256, batch 8, vocabulary"
          + " 8192.",
      "The last line reads tokens/s=<number>. Compare with:",
      "  /usr/bin/python3 bench/src/main/python/torch_gpt_reference.py A 30 5"
    })
public final class BenchTrainCommand implements Callable<Integer> {

  /** The reference's shapes. */
  enum Shape {
    A(new GptConfig(4096, 64, 4, 4, 128, true), 12),
    B(new GptConfig(8192, 256, 6, 6, 384, true), 8);

    final GptConfig model;
    final int batch;

    Shape(GptConfig model, int batch) {
      this.model = model;
      this.batch = batch;
    }
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--shape",
      defaultValue = "A",
      description = "A or B (default: ${DEFAULT-VALUE}).")
  Shape shape;

  @Option(
      names = "--steps",
      defaultValue = "30",
      description = "Timed steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--warmup",
      defaultValue = "5",
      description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--rss-at",
      defaultValue = "0",
      description = "Also print the resident memory after this many steps and at the end (0: no).")
  int rssAt;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    GptConfig model = shape.model;
    OptimizerConfig optimization =
        new OptimizerConfig(
            new AdamWConfig(0.9, 0.95, 1e-8, 0.1),
            new LearningRateSchedule(6e-4, 6e-4, 0, Long.MAX_VALUE),
            1.0f);
    Random random = new Random(42);
    int window = model.blockSize() + 1;
    try (ModelTrainer trainer = new ModelTrainer(model, optimization, 1337)) {
      out.printf(
          "config %s: params=%,d, %s, batch %d%n",
          shape, model.parameterCount(), model, shape.batch);
      long start = 0;
      double lossSum = 0;
      long rssEarly = 0;
      for (int step = 0; step < warmup + steps; step++) {
        if (step == warmup) {
          start = System.nanoTime();
        }
        int[] windows = random.ints((long) shape.batch * window, 0, model.vocabSize()).toArray();
        TrainingStep result = trainer.step(windows, shape.batch);
        if (step >= warmup) {
          lossSum += result.loss();
        }
        if (step + 1 == rssAt) {
          rssEarly = residentMegabytes();
          out.printf("rss after %d steps: %d MB%n", rssAt, rssEarly);
        }
        if (step % 10 == 0) {
          out.printf("step %d loss %.4f gnorm %.3f%n", step, result.loss(), result.gradientNorm());
          out.flush();
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long tokens = (long) steps * shape.batch * model.blockSize();
      if (rssAt > 0) {
        long rssEnd = residentMegabytes();
        out.printf(
            "rss after %d steps: %d MB (%+.1f%% from step %d)%n",
            warmup + steps, rssEnd, 100.0 * (rssEnd - rssEarly) / rssEarly, rssAt);
      }
      out.printf(
          "RESULT millrace config=%s steps=%d ms/step=%.1f meanloss=%.4f tokens/s=%.1f%n",
          shape, steps, seconds * 1000 / steps, lossSum / steps, tokens / seconds);
      out.flush();
    }
    return 0;
  }

  /** VmRSS of this process, from /proc (Linux). */
  static long residentMegabytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }
}
