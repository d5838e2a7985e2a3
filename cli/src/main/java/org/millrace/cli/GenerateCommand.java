package org.millrace.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.tokenizer.Tokenizer;
import org.millrace.trainer.checkpoint.CheckpointStore;
import org.millrace.trainer.model.Architecture;
import org.millrace.trainer.optim.GptTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code millrace generate}: sample text from a checkpoint, as nanoGPT's sample.py. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    header = "Sample text from a checkpoint of a decoder (gpt, llama).",
    description = {
      "Continues the prompt one token at a time: the model's next-token distribution, divided by the",
      "temperature and cut to the top k tokens, sampled with a seeded generator (the same seed gives the",
      "same text). Stops after --max-tokens or at the end-of-text token."
    })
final class GenerateCommand implements Callable<Integer> {

  @ParentCommand Millrace millrace;
  @Spec CommandSpec spec;
  @Mixin CheckpointOptions checkpoint;

  @Option(names = "--prompt", defaultValue = "", description = "Text to continue (default: nothing).")
  String prompt;

  @Option(names = "--max-tokens", defaultValue = "200", description = "Default: ${DEFAULT-VALUE}.")
  int maxTokens;

  @Option(names = "--temperature", defaultValue = "0.8", description = "Default: ${DEFAULT-VALUE}.")
  double temperature;

  @Option(names = "--top-k", defaultValue = "200", description = "Default: ${DEFAULT-VALUE}; 0 keeps every token.")
  int topK;

  @Option(names = "--seed", defaultValue = "1337", description = "Default: ${DEFAULT-VALUE}.")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("--temperature must be positive, not " + temperature);
    }
    MillraceConfig config = millrace.config();
    Tokenizer tokenizer = LocalPipeline.tokenizer(config);
    CheckpointStore.Restored restored = checkpoint.restore(config, tokenizer);
    try (GptTrainer trainer = restored.trainer()) {
      if (trainer.model().config().architecture() == Architecture.ENCODER) {
        throw new IllegalArgumentException("checkpoint " + restored.path() + " is an encoder (masked language model): it does not generate text");
      }
      int blockSize = trainer.model().config().blockSize();
      List<Integer> tokens = new ArrayList<>();
      for (int id : prompt.isEmpty() ? new int[] {tokenizer.endOfTextId()} : tokenizer.encode(prompt)) {
        tokens.add(id);
      }
      int promptLength = prompt.isEmpty() ? 1 : tokens.size();
      Random random = new Random(seed);
      for (int i = 0; i < maxTokens; i++) {
        int[] context = tokens.subList(Math.max(0, tokens.size() - blockSize), tokens.size()).stream()
            .mapToInt(Integer::intValue).toArray();
        int next = sample(trainer.nextTokenLogits(context), random);
        if (next == tokenizer.endOfTextId()) {
          break;
        }
        tokens.add(next);
      }
      int[] generated = tokens.subList(promptLength, tokens.size()).stream().mapToInt(Integer::intValue).toArray();
      PrintWriter out = spec.commandLine().getOut();
      out.println(prompt + tokenizer.decode(generated));
      out.flush();
    }
    return 0;
  }

  /** A token drawn from softmax(logits / temperature), among the top k. */
  int sample(float[] logits, Random random) {
    double[] scaled = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      scaled[i] = logits[i] / temperature;
    }
    if (topK > 0 && topK < logits.length) {
      double[] sorted = scaled.clone();
      Arrays.sort(sorted);
      double threshold = sorted[sorted.length - topK];
      for (int i = 0; i < scaled.length; i++) {
        if (scaled[i] < threshold) {
          scaled[i] = Double.NEGATIVE_INFINITY;
        }
      }
    }
    double max = Arrays.stream(scaled).max().orElseThrow();
    double total = 0;
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] = Math.exp(scaled[i] - max);
      total += scaled[i];
    }
    double draw = random.nextDouble() * total;
    for (int i = 0; i < scaled.length; i++) {
      draw -= scaled[i];
      if (draw <= 0) {
        return i;
      }
    }
    return scaled.length - 1;
  }
}
