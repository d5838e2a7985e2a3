package org.millrace.trainer.diloco;

/**
 * The mean of a round's pseudo-gradients, summed in the order they are added (log order), in float:
 * the same contributions in the same order give every worker the same mean, bit for bit.
 */
public final class PseudoGradientMean {

  private final float[] sum;
  private int count;

  public PseudoGradientMean(int size) {
    this.sum = new float[size];
  }

  /** Adds one worker's flattened pseudo-gradient. */
  public void add(float[] pseudoGradient) {
    if (pseudoGradient.length != sum.length) {
      throw new IllegalArgumentException(
          "a pseudo-gradient of " + pseudoGradient.length + " values, expected " + sum.length);
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] += pseudoGradient[i];
    }
    count++;
  }

  public int count() {
    return count;
  }

  /** The mean of what was added; a new array. */
  public float[] mean() {
    if (count == 0) {
      throw new IllegalStateException("no pseudo-gradient was added");
    }
    float[] mean = new float[sum.length];
    for (int i = 0; i < sum.length; i++) {
      mean[i] = sum[i] / count;
    }
    return mean;
  }
}
