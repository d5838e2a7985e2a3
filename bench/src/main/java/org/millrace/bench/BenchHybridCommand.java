package org.millrace.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.millrace.trainer.model.Architecture;
import org.millrace.trainer.model.IncrementalGeneration;
import org.millrace.trainer.model.ModelConfig;
import org.millrace.trainer.optim.AdamWConfig;
import org.millrace.trainer.optim.LearningRateSchedule;
import org.millrace.trainer.optim.ModelTrainer;
import org.millrace.trainer.optim.OptimizerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code millrace bench hybrid}: the hybrid decoder against the Llama-style one of the same preset
 * (equal parameters within 0.3%), in one run: training tokens/s, then generation with the step
 * function (KV cache; KV cache plus SSM state) after contexts of several lengths.
 */
@Command(
    name = "hybrid",
    mixinStandardHelpOptions = true,
    header =
        "Training and generation speed of the hybrid against Llama-style, at equal parameters.",
    description = {
      "Training: the preset (default small: 4 layers, 128 wide, block 64) with a 4096-token",
      "vocabulary, batch 12, AdamW as bench train, on random token ids; the two architectures",
      "alternate for --rounds rounds and the median is reported. Generation: one sequence, the",
      "context fed one token at a time through the step function, then --generate more tokens",
      "timed; the state kept (KV cache, SSM state) is measured in bytes. Lines start with RESULT."
    })
final class BenchHybridCommand implements Callable<Integer> {

  private static final int VOCAB = 4096;
  private static final int BATCH = 12;

  @Spec CommandSpec spec;

  @Option(names = "--preset", defaultValue = "small", description = "Default: ${DEFAULT-VALUE}.")
  String preset;

  @Option(
      names = "--steps",
      defaultValue = "30",
      description = "Timed steps per round (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--warmup",
      defaultValue = "5",
      description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--rounds", defaultValue = "3", description = "Default: ${DEFAULT-VALUE}.")
  int rounds;

  @Option(
      names = "--contexts",
      defaultValue = "256,1024,4096",
      split = ",",
      description = "Context lengths before generating (default: ${DEFAULT-VALUE}).")
  int[] contexts;

  @Option(
      names = "--generate",
      defaultValue = "64",
      description = "Timed tokens (default: ${DEFAULT-VALUE}).")
  int generate;

  private static final Architecture[] COMPARED = {Architecture.LLAMA, Architecture.HYBRID};

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    OptimizerConfig optimization =
        new OptimizerConfig(
            new AdamWConfig(0.9, 0.95, 1e-8, 0.1),
            new LearningRateSchedule(6e-4, 6e-4, 0, Long.MAX_VALUE),
            1.0f);
    List<List<Double>> rates = new ArrayList<>();
    for (Architecture architecture : COMPARED) {
      rates.add(new ArrayList<>());
      ModelConfig config = architecture.preset(preset, VOCAB, 0);
      out.printf(
          "%s %s: %,d parameters, %s%n",
          architecture.id(), preset, config.parameterCount(), config);
    }
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < COMPARED.length; i++) {
        double rate = trainingRate(COMPARED[i].preset(preset, VOCAB, 0), optimization);
        rates.get(i).add(rate);
        out.printf("round %d %s tokens/s=%.1f%n", round, COMPARED[i].id(), rate);
        out.flush();
      }
    }
    for (int i = 0; i < COMPARED.length; i++) {
      List<Double> sorted = rates.get(i).stream().sorted().toList();
      out.printf(
          "RESULT train arch=%s preset=%s median_tokens/s=%.1f all=%s%n",
          COMPARED[i].id(), preset, sorted.get(sorted.size() / 2), rates.get(i));
    }
    out.flush();
    int longest = java.util.Arrays.stream(contexts).max().orElse(0);
    for (Architecture architecture : COMPARED) {
      ModelConfig config = architecture.preset(preset, VOCAB, 0).withBlockSize(longest + generate);
      try (ModelTrainer holder = new ModelTrainer(config, optimization, 1337);
          IncrementalGeneration generation =
              new IncrementalGeneration(holder.model(), holder.manager())) {
        ModelTrainer.recordNoGraph();
        Random random = new Random(7);
        for (int context : contexts) {
          generation.restart();
          long prefillStart = System.nanoTime();
          for (int t = 0; t < context; t++) {
            generation.feed(random.nextInt(VOCAB));
          }
          double prefillSeconds = (System.nanoTime() - prefillStart) / 1e9;
          long bytesBefore = generation.stateBytes();
          long start = System.nanoTime();
          for (int t = 0; t < generate; t++) {
            // a random token: the cost of a step does not depend on which
            generation.feed(random.nextInt(VOCAB));
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          long bytesAfter = generation.stateBytes();
          out.printf(
              "RESULT generate arch=%s preset=%s context=%d tokens/s=%.1f prefill_tokens/s=%.1f"
                  + " state_bytes=%d bytes_per_token=%.1f%n",
              architecture.id(),
              preset,
              context,
              generate / seconds,
              context / prefillSeconds,
              bytesAfter,
              (double) (bytesAfter - bytesBefore) / generate);
          out.flush();
        }
      }
    }
    return 0;
  }

  private double trainingRate(ModelConfig config, OptimizerConfig optimization) {
    Random random = new Random(42);
    int window = config.blockSize() + 1;
    try (ModelTrainer trainer = new ModelTrainer(config, optimization, 1337)) {
      long start = 0;
      for (int step = 0; step < warmup + steps; step++) {
        if (step == warmup) {
          start = System.nanoTime();
        }
        trainer.step(random.ints((long) BATCH * window, 0, VOCAB).toArray(), BATCH);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return (double) steps * BATCH * config.blockSize() / seconds;
    }
  }
}
