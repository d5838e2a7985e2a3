package org.millrace.trainer.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.NormalInitializer;

/**
 * GPT-2's initialisation, which every model of the zoo uses: weights and embeddings drawn from N(0,
 * 0.02), projections that write into the residual stream from N(0, 0.02/sqrt(2·layers)), biases 0
 * and norm gains 1 (DJL's defaults for those parameter types).
 */
public final class GptInitialisation {

  /**
   * Standard deviation of the weight initialisation: N(0, 0.02) from GPT-1 (Radford et al. 2018,
   * section 4.1), kept by GPT-2, nanoGPT's {@code _init_weights} and llama2.c.
   */
  public static final float STD = 0.02f;

  private GptInitialisation() {}

  /**
   * Standard deviation for the weights of projections that write into the residual stream: GPT-2
   * (section 2.3) scales them by 1/sqrt(N) for N residual layers, two per block (nanoGPT).
   */
  public static float residualStd(int layers) {
    return (float) (STD / Math.sqrt(2.0 * layers));
  }

  /** A linear layer to {@code units} outputs whose weight is drawn from N(0, 0.02). */
  public static Linear projection(long units, boolean bias) {
    return linear(units, bias, STD);
  }

  /**
   * A linear layer that writes {@code units} channels into the residual stream of a model of {@code
   * layers} blocks: its weight drawn from N(0, {@link #residualStd}²).
   */
  public static Linear residualProjection(long units, boolean bias, int layers) {
    return linear(units, bias, residualStd(layers));
  }

  /** A linear layer to {@code units} outputs whose weight is drawn from N(0, std²). */
  public static Linear linear(long units, boolean bias, float std) {
    Linear linear = Linear.builder().setUnits(units).optBias(bias).build();
    linear.setInitializer(new NormalInitializer(std), Parameter.Type.WEIGHT);
    return linear;
  }

  /** An embedding matrix of {@code rows} vectors of {@code width}, drawn from N(0, 0.02). */
  static Parameter embedding(String name, int rows, int width) {
    return Parameter.builder()
        .setName(name)
        .setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(rows, width))
        .optInitializer(new NormalInitializer(STD))
        .build();
  }
}
