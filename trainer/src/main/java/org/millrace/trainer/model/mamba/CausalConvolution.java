package org.millrace.trainer.model.mamba;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * Mamba's short causal convolution (Gu and Dao 2023, arXiv:2312.00752, section 3.4; kept in
 * Mamba-2): each channel convolved on its own (depthwise) with a kernel of K taps over the current
 * and K-1 previous positions, plus a bias: {@code y[t] = bias + Σ_k weight[k]·x[t-K+1+k]}, with
 * zeros before the first position. This is PyTorch's {@code Conv1d(groups=channels, padding=K-1)}
 * cut to T outputs, with its weight (channels, 1, K) stored as (channels, K).
 *
 * <p>Parameters: {@code weight} (channels, K) and {@code bias} (channels), drawn as PyTorch's
 * default for a convolution of fan-in K, which Mamba keeps: U(-1/sqrt(K), 1/sqrt(K)). Input: (B, T,
 * channels); output: (B, T, channels).
 */
public final class CausalConvolution extends AbstractBlock {

  private final int kernel;
  private final Parameter weight;
  private final Parameter bias;

  /** A convolution of {@code kernel} taps over each of {@code channels} channels. */
  public CausalConvolution(int channels, int kernel) {
    this.kernel = kernel;
    float bound = (float) (1 / Math.sqrt(kernel));
    weight =
        addParameter(uniform("weight", Parameter.Type.WEIGHT, new Shape(channels, kernel), bound));
    bias = addParameter(uniform("bias", Parameter.Type.BIAS, new Shape(channels), bound));
  }

  private static Parameter uniform(String name, Parameter.Type type, Shape shape, float bound) {
    return Parameter.builder()
        .setName(name)
        .setType(type)
        .optShape(shape)
        .optInitializer(new UniformInitializer(bound))
        .build();
  }

  /** Number of taps K; generation keeps the last K-1 inputs. */
  public int kernel() {
    return kernel;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    Shape shape = x.getShape();
    NDArray zeros =
        x.getManager().zeros(new Shape(shape.get(0), kernel - 1, shape.get(2)), x.getDataType());
    return new NDList(valid(parameterStore, zeros.concat(x, 1), training));
  }

  /**
   * The outputs of the positions of {@code window} (B, K-1+T, channels) that have K-1 positions
   * before them in it: (B, T, channels). Generation calls it with the K-1 inputs it kept and the
   * new one.
   */
  public NDArray valid(ParameterStore parameterStore, NDArray window, boolean training) {
    long t = window.getShape().get(1) - (kernel - 1);
    NDList taps = new NDList(kernel);
    for (int k = 0; k < kernel; k++) {
      taps.add(window.get(new NDIndex(":, {}:{}, :", k, k + t)));
    }
    NDArray w = parameterStore.getValue(weight, window.getDevice(), training);
    NDArray b = parameterStore.getValue(bias, window.getDevice(), training);
    // (B, T, channels, K) · (channels, K), summed over the taps; the step's array comes first, so
    // that the result is the step's (docs/djl.md, fact 2)
    return NDArrays.stack(taps, 3).mul(w).sum(new int[] {3}).add(b);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
