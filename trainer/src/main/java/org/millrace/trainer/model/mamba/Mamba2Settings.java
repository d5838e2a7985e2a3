package org.millrace.trainer.model.mamba;

/**
 * The sizes of one {@link Mamba2Mixer}, in the reference's names where they differ: {@code
 * heads·headDim = d_inner} channels in {@code heads} heads of P = {@code headDim} channels, whose B
 * and C ({@code stateDim} = N wide) are shared within {@code groups} groups of consecutive heads.
 *
 * @param width the residual stream the mixer reads and writes ({@code d_model})
 * @param heads H, the SSM heads ({@code nheads})
 * @param headDim P, channels per head ({@code headdim})
 * @param groups G, groups of heads sharing B and C ({@code ngroups}); divides {@code heads}
 * @param stateDim N, the state per channel ({@code d_state})
 * @param convKernel taps of the causal convolution ({@code d_conv}): 4 in Mamba and Mamba-2
 * @param chunkSize positions per chunk of the SSD scan ({@code chunk_size}); any positive value
 *     computes the same function, it sets only the cost
 * @param outputInitStd standard deviation of the output projection's weights
 */
public record Mamba2Settings(
    int width,
    int heads,
    int headDim,
    int groups,
    int stateDim,
    int convKernel,
    int chunkSize,
    float outputInitStd) {

  /** Validates the sizes. */
  public Mamba2Settings {
    for (int value : new int[] {width, heads, headDim, groups, stateDim, convKernel, chunkSize}) {
      if (value <= 0) {
        throw new IllegalArgumentException("Mamba-2 sizes must be positive: " + this);
      }
    }
    if (heads % groups != 0) {
      throw new IllegalArgumentException(
          "SSM heads (" + heads + ") must be divisible by groups (" + groups + ")");
    }
  }

  /** Channels of x and of the output, H·P ({@code d_inner}). */
  public int innerDim() {
    return heads * headDim;
  }

  /** Channels through the convolution: x, B and C. */
  public int convolvedDim() {
    return innerDim() + 2 * groups * stateDim;
  }

  /** Width of the input projection: z, x, B, C and dt. */
  public int projectedDim() {
    return 2 * innerDim() + 2 * groups * stateDim + heads;
  }

  /** Trainable values of one mixer. */
  public long parameterCount() {
    long inner = innerDim();
    return (long) width * projectedDim() // input projection
        + (long) convolvedDim() * (convKernel + 1) // convolution weight and bias
        + 3L * heads // dt bias, A log, D
        + inner // gated norm
        + inner * width; // output projection
  }
}
