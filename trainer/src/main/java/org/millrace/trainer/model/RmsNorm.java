package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Root-mean-square layer normalisation (Zhang and Sennrich 2019, arXiv:1910.07467), as Llama's
 * {@code RMSNorm}: {@code x / sqrt(mean(x²) + eps) · weight} over the last axis. Unlike LayerNorm
 * it neither centres nor shifts, which saves a reduction and the bias. Parameter: {@code weight},
 * one gain per channel, starting at 1.
 */
public final class RmsNorm extends AbstractBlock {

  /**
   * Added to the mean square, as Llama's {@code norm_eps}, llama2.c's default and Mamba-2's
   * reference: 1e-5.
   */
  public static final float EPSILON = 1e-5f;

  private final Parameter weight;

  /** A norm over vectors of {@code width} channels. */
  public RmsNorm(int width) {
    weight = addParameter(gain(width));
  }

  /** A gain per channel named {@code weight}, of type GAMMA, which DJL initialises to ones. */
  public static Parameter gain(int width) {
    return Parameter.builder()
        .setName("weight")
        .setType(Parameter.Type.GAMMA)
        .optShape(new Shape(width))
        .build();
  }

  /**
   * {@code x / sqrt(mean(x²) + eps)} over {@code axis}, without the gain. The epsilon is a tensor
   * of the step's manager, not a Java number (ScaledDotProductAttention says why), of the type of
   * {@code x}.
   */
  public static NDArray normalise(NDArray x, int axis) {
    NDArray epsilon = x.getManager().full(new Shape(), EPSILON, x.getDataType());
    NDArray rms = x.square().mean(new int[] {axis}, true).add(epsilon).sqrt();
    return x.div(rms);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray gain = parameterStore.getValue(weight, x.getDevice(), training);
    return new NDList(normalise(x, x.getShape().dimension() - 1).mul(gain));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
