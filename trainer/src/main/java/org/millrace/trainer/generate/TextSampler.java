package org.millrace.trainer.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.millrace.tokenizer.Tokenizer;
import org.millrace.trainer.model.IncrementalGeneration;
import org.millrace.trainer.optim.ModelTrainer;

/**
 * Continues a prompt one token at a time, as nanoGPT's sample.py: the model's next-token
 * distribution, divided by the temperature and cut to the top k tokens, sampled with a seeded
 * generator, so that the same checkpoint, prompt and seed give the same text. {@code millrace
 * generate} prints it; the dashboard shows it for each new checkpoint.
 *
 * @param topK tokens kept before sampling; 0 keeps every token
 */
public record TextSampler(double temperature, int topK, long seed) {

  public TextSampler {
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("the temperature must be positive, not " + temperature);
    }
  }

  /**
   * The text the model writes after {@code prompt} (not including it), at most {@code maxTokens}
   * tokens, stopping early at the end-of-text token. An empty prompt starts from end-of-text.
   */
  public String continuation(
      ModelTrainer model, Tokenizer tokenizer, String prompt, int maxTokens) {
    int blockSize = model.model().config().blockSize();
    List<Integer> tokens = new ArrayList<>();
    for (int id :
        prompt.isEmpty() ? new int[] {tokenizer.endOfTextId()} : tokenizer.encode(prompt)) {
      tokens.add(id);
    }
    int promptLength = tokens.size();
    Random random = new Random(seed);
    if (IncrementalGeneration.supports(model.model())) {
      stepwise(model, tokenizer, tokens, maxTokens, random);
      return tokenizer.decode(
          tokens.subList(promptLength, tokens.size()).stream()
              .mapToInt(Integer::intValue)
              .toArray());
    }
    for (int i = 0; i < maxTokens; i++) {
      int[] context =
          tokens.subList(Math.max(0, tokens.size() - blockSize), tokens.size()).stream()
              .mapToInt(Integer::intValue)
              .toArray();
      int next = sample(model.nextTokenLogits(context), random);
      if (next == tokenizer.endOfTextId()) {
        break;
      }
      tokens.add(next);
    }
    return tokenizer.decode(
        tokens.subList(promptLength, tokens.size()).stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * Appends up to {@code maxTokens} sampled tokens to {@code tokens} with the model's step function
   * (KV cache, SSM state): each new token costs one position, not the whole context. When the
   * context fills the block size, the state restarts from the last half of it.
   */
  private void stepwise(
      ModelTrainer model, Tokenizer tokenizer, List<Integer> tokens, int maxTokens, Random random) {
    int blockSize = model.model().config().blockSize();
    ModelTrainer.recordNoGraph();
    try (IncrementalGeneration generation =
        new IncrementalGeneration(model.model(), model.manager())) {
      float[] logits = null;
      for (int id : tokens.subList(Math.max(0, tokens.size() - blockSize), tokens.size())) {
        logits = generation.feed(id);
      }
      for (int i = 0; i < maxTokens; i++) {
        int next = sample(logits, random);
        if (next == tokenizer.endOfTextId()) {
          break;
        }
        tokens.add(next);
        if (generation.length() == blockSize) {
          generation.restart();
          for (int id : tokens.subList(tokens.size() - blockSize / 2, tokens.size() - 1)) {
            generation.feed(id);
          }
        }
        logits = generation.feed(next);
      }
    }
  }

  /** A token drawn from softmax(logits / temperature), among the top k. */
  public int sample(float[] logits, Random random) {
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
