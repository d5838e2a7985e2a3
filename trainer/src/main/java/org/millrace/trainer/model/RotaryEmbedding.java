package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding, RoPE (Su et al. 2021, RoFormer, arXiv:2104.09864), as Llama applies it
 * to queries and keys: the pair of channels (2i, 2i+1) of a head at position m is rotated by the
 * angle {@code m·θ_i} with {@code θ_i = theta^(-2i/headDim)}. A query at m and a key at n then meet
 * in a dot product that depends on m and n only through m - n (RoFormer, section 3.4.2), which is
 * how the model learns relative positions without a position embedding.
 *
 * <p>The pairs are adjacent channels, as in Meta's {@code apply_rotary_emb} and llama2.c (Hugging
 * Face's "rotate half" pairs channel i with i + headDim/2 instead: the same rotation of a permuted
 * head). The angles carry no parameter; they are computed in Java, in double precision, and handed
 * to PyTorch as the step's arrays.
 */
public final class RotaryEmbedding {

  private final int headDim;
  private final double[] frequencies;

  /**
   * Rotations for heads of {@code headDim} channels (even).
   *
   * @param theta the base of the frequencies: 10,000 in RoFormer and Llama 1 and 2
   */
  public RotaryEmbedding(int headDim, double theta) {
    if (headDim % 2 != 0) {
      throw new IllegalArgumentException("RoPE needs an even head width, got " + headDim);
    }
    this.headDim = headDim;
    frequencies = new double[headDim / 2];
    for (int i = 0; i < frequencies.length; i++) {
      frequencies[i] = Math.pow(theta, -2.0 * i / headDim);
    }
  }

  /**
   * The cosines and sines of the angles of positions {@code start} to {@code start + length - 1},
   * each (length, headDim/2, 1), created in {@code manager}.
   */
  public NDList angles(NDManager manager, long start, int length) {
    float[] cos = new float[length * frequencies.length];
    float[] sin = new float[cos.length];
    for (int m = 0; m < length; m++) {
      for (int i = 0; i < frequencies.length; i++) {
        double angle = (start + m) * frequencies[i];
        cos[m * frequencies.length + i] = (float) Math.cos(angle);
        sin[m * frequencies.length + i] = (float) Math.sin(angle);
      }
    }
    Shape shape = new Shape(length, frequencies.length, 1);
    return new NDList(manager.create(cos, shape), manager.create(sin, shape));
  }

  /**
   * Rotates every pair of channels of {@code x} (B, heads, T, headDim) by the angles of its
   * position, from {@link #angles} for T positions: {@code (a, b) -> (a·cos - b·sin, a·sin +
   * b·cos)}.
   */
  public NDArray rotate(NDArray x, NDList angles) {
    Shape shape = x.getShape();
    NDArray cos = angles.get(0);
    NDArray sin = angles.get(1);
    // (B, heads, T, headDim) -> (B, heads, T, headDim/2, 2): a pair per row, split into a and b
    NDList pairs = x.reshape(shape.get(0), shape.get(1), shape.get(2), headDim / 2, 2).split(2, 4);
    NDArray a = pairs.get(0);
    NDArray b = pairs.get(1);
    NDArray rotatedA = a.mul(cos).sub(b.mul(sin));
    NDArray rotatedB = a.mul(sin).add(b.mul(cos));
    return rotatedA.concat(rotatedB, 4).reshape(shape);
  }
}
