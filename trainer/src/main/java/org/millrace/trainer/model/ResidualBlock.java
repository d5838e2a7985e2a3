package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

/**
 * One block of a {@link LanguageModel}'s stack, in the pre-norm residual form of every model of the
 * zoo (GPT-2, section 2.3): each sub-layer reads a normalised copy of the residual stream and adds
 * its output to it ({@link #addNormed}). Input: (B, T, C) followed by the position inputs the model
 * hands to every block (the rotary angles of T positions, or none); output: (B, T, C). Every child
 * reads (B, T, C), in the order it was added.
 *
 * <p>A block of a decoder also computes one new position from what it kept of the earlier ones
 * ({@link #newState}, {@link #step}), for generation.
 */
abstract class ResidualBlock extends AbstractBlock {

  /**
   * {@code x + sublayer(norm(x), positions…)}: a pre-norm residual connection.
   *
   * @param positions what the sub-layer reads after the normalised stream (rotary angles), often
   *     nothing
   */
  static NDArray addNormed(
      ParameterStore parameterStore,
      NDArray x,
      Block norm,
      Block sublayer,
      NDList positions,
      boolean training) {
    NDList normed = norm.forward(parameterStore, new NDList(x), training);
    normed.addAll(positions);
    return x.add(sublayer.forward(parameterStore, normed, training).head());
  }

  /** The position inputs that follow the stream in a block's {@code inputs}. */
  static NDList positions(NDList inputs) {
    return inputs.subNDList(1);
  }

  /**
   * An empty state for {@code batch} sequences of up to {@code capacity} positions, its arrays of
   * {@code type} in {@code manager}.
   */
  abstract LayerState newState(NDManager manager, int batch, int capacity, DataType type);

  /**
   * One new position for generation: {@code x} (B, 1, C) with the position inputs of that position,
   * reading and extending {@code state}. Equals the last position of {@link #forward} over all
   * positions so far.
   */
  abstract NDArray step(
      ParameterStore parameterStore, NDArray x, NDList positions, LayerState state);

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (Pair<String, Block> child : getChildren()) {
      child.getValue().initialize(manager, dataType, inputShapes[0]);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
