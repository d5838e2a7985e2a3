package org.millrace.trainer.model;

/**
 * What a model learns to predict from the trainer's windows of token ids: each window is T+1
 * consecutive ids of the token stream, and the objective turns a batch of them into a {@link
 * TokenBatch} of inputs, targets and the positions whose loss counts. The loss itself is always the
 * {@link CrossEntropy} of the targets, averaged over those positions.
 */
public sealed interface TrainingObjective permits NextTokenPrediction, MaskedLanguageModelling {

  /**
   * The batch of {@code rows} windows of T+1 ids each, flattened row by row. The trainer has
   * checked their shape and ids.
   *
   * @param seed the run's seed
   * @param draw which draw of the run this is: randomness of an objective comes from {@code (seed,
   *     draw)} only, so that the same draw gives the same batch in a resumed run
   */
  TokenBatch batch(int[] windows, int rows, long seed, long draw);

  /**
   * The T ids of each window of T+1 that start {@code offset} positions in (0 or 1), flattened row
   * by row, as int64 for PyTorch.
   */
  static long[] positions(int[] windows, int rows, int offset) {
    int window = windows.length / rows;
    int t = window - 1;
    long[] ids = new long[rows * t];
    for (int row = 0; row < rows; row++) {
      for (int i = 0; i < t; i++) {
        ids[row * t + i] = windows[row * window + offset + i];
      }
    }
    return ids;
  }
}
