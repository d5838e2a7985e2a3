package org.millrace.trainer.diloco;

import java.util.Map;

/**
 * A worker's pseudo-gradient, flattened in the model's parameter order: {@code Δ = θ_global −
 * θ_local}, old minus new (DiLoCo, arXiv:2311.08105, algorithm 1, line 8).
 */
public final class PseudoGradient {

  private PseudoGradient() {}

  /** θ_global − θ_local, every parameter of {@code global} in its order, end to end. */
  public static float[] of(Map<String, float[]> global, Map<String, float[]> local) {
    float[] delta = new float[size(global)];
    int offset = 0;
    for (Map.Entry<String, float[]> entry : global.entrySet()) {
      float[] theta = entry.getValue();
      float[] mine = local.get(entry.getKey());
      if (mine == null || mine.length != theta.length) {
        throw new IllegalArgumentException(
            "the local model has no parameter like " + entry.getKey());
      }
      for (int i = 0; i < theta.length; i++) {
        delta[offset + i] = theta[i] - mine[i];
      }
      offset += theta.length;
    }
    return delta;
  }

  /** The flat array {@code flat} cut back into parameters shaped as {@code like}'s. */
  public static Map<String, float[]> unflatten(float[] flat, Map<String, float[]> like) {
    if (flat.length != size(like)) {
      throw new IllegalArgumentException(
          flat.length + " values do not fill parameters of " + size(like) + " values");
    }
    Map<String, float[]> parameters = new java.util.LinkedHashMap<>();
    int offset = 0;
    for (Map.Entry<String, float[]> entry : like.entrySet()) {
      int length = entry.getValue().length;
      float[] values = new float[length];
      System.arraycopy(flat, offset, values, 0, length);
      parameters.put(entry.getKey(), values);
      offset += length;
    }
    return parameters;
  }

  /** The number of values in all the parameters together. */
  public static int size(Map<String, float[]> parameters) {
    long size = 0;
    for (float[] values : parameters.values()) {
      size += values.length;
    }
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(size + " parameters are more than one worker can send");
    }
    return (int) size;
  }
}
