package org.millrace.trainer.model.mamba;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.millrace.trainer.model.RmsNorm;

/**
 * Mamba-2's gated RMSNorm (arXiv:2405.21060: its block design adds a normalisation before the final
 * output projection; the reference's {@code RMSNormGated} with {@code norm_before_gate=False}): the
 * output y gated by {@code silu(z)}, then normalised by its root mean square over each group of
 * channels, then scaled by a gain: {@code rmsNorm(y·silu(z))·weight}, with {@link RmsNorm}'s
 * normalisation and epsilon. Normalising per group, as the reference does with one group per B/C
 * group, keeps the heads of different groups independent, as they are when the model is split
 * across devices.
 *
 * <p>Parameter: {@code weight} (channels), starting at 1. Inputs: y and z, each (B, T, channels);
 * output (B, T, channels).
 */
public final class GatedRmsNorm extends AbstractBlock {

  private final int groups;
  private final Parameter weight;

  /** A norm over {@code channels} channels, in {@code groups} groups normalised apart. */
  public GatedRmsNorm(int channels, int groups) {
    this.groups = groups;
    weight = addParameter(RmsNorm.gain(channels));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray y = inputs.get(0);
    NDArray z = inputs.get(1);
    Shape shape = y.getShape();
    int last = shape.dimension() - 1;
    long channels = shape.get(last);
    NDArray gated = y.mul(z.mul(Activation.sigmoid(z)));
    long[] grouped = shape.slice(0, last).add(groups, channels / groups).getShape();
    NDArray normed = RmsNorm.normalise(gated.reshape(grouped), last + 1).reshape(shape);
    NDArray gain = parameterStore.getValue(weight, y.getDevice(), training);
    return new NDList(normed.mul(gain));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
