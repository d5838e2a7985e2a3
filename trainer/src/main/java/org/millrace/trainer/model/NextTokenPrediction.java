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
    int window = windows.length / rows;
    int t = window - 1;
    long[] inputs = new long[rows * t];
    long[] targets = new long[rows * t];
    for (int row = 0; row < rows; row++) {
      for (int i = 0; i < t; i++) {
        inputs[row * t + i] = windows[row * window + i];
        targets[row * t + i] = windows[row * window + i + 1];
      }
    }
    float[] everyPosition = new float[rows * t];
    Arrays.fill(everyPosition, 1f);
    return new TokenBatch(inputs, targets, everyPosition, rows, t);
  }
}
