package org.millrace.trainer.model;

import java.util.Arrays;

/**
 * Causal language modelling, the objective of GPT and Llama: from the first T ids of a window, the
 * model predicts the last T, each from the ids before it; every position counts. Deterministic: it
 * ignores the seed and the draw.
 */
public record NextTokenPrediction() implements TrainingObjective {

  @Override
  public TokenBatch batch(int[] windows, int rows, long seed, long draw) {
    long[] inputs = TrainingObjective.positions(windows, rows, 0);
    long[] targets = TrainingObjective.positions(windows, rows, 1);
    float[] everyPosition = new float[inputs.length];
    Arrays.fill(everyPosition, 1f);
    return new TokenBatch(inputs, targets, everyPosition, rows, inputs.length / rows);
  }
}
