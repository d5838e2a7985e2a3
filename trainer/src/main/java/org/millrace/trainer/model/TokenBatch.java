package org.millrace.trainer.model;

import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * What a {@link TrainingObjective} makes of a batch of token windows: the ids the model reads, the
 * ids it must predict, and which predictions count. Each array holds B rows of T positions,
 * flattened row by row; ids are int64 for PyTorch's embedding and gather.
 *
 * @param inputs token ids fed to the model
 * @param targets the token id each position must predict
 * @param lossWeights 1 where a position's prediction counts in the loss, 0 where it does not
 * @param rows B, the number of sequences
 * @param length T, the positions of each sequence
 */
public record TokenBatch(long[] inputs, long[] targets, float[] lossWeights, int rows, int length) {

  /** Checks that the three arrays hold {@code rows · length} values. */
  public TokenBatch {
    int size = rows * length;
    if (inputs.length != size || targets.length != size || lossWeights.length != size) {
      throw new IllegalArgumentException(
          "Expected "
              + rows
              + " x "
              + length
              + " values, got "
              + inputs.length
              + ", "
              + targets.length
              + " and "
              + lossWeights.length);
    }
  }

  /** (B, T), the shape of each array as the model reads it. */
  public Shape shape() {
    return new Shape(rows, length);
  }

  /** The number of positions whose prediction counts: the loss is the mean over these. */
  public long predictedPositions() {
    long count = 0;
    for (float weight : lossWeights) {
      if (weight != 0) {
        count++;
      }
    }
    return count;
  }

  /** The rows {@code from} (inclusive) to {@code to} (exclusive), as a batch of their own. */
  public TokenBatch rows(int from, int to) {
    int start = from * length;
    int end = to * length;
    return new TokenBatch(
        Arrays.copyOfRange(inputs, start, end),
        Arrays.copyOfRange(targets, start, end),
        Arrays.copyOfRange(lossWeights, start, end),
        to - from,
        length);
  }
}
