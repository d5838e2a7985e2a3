package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One Llama block (Touvron et al. 2023, arXiv:2302.13971, section 2.2), as Meta's {@code
 * TransformerBlock}: {@code h = x + attention(rmsNorm(x))}, then {@code h + swiGlu(rmsNorm(h))}.
 * Children: {@code attentionNorm}, {@code attention} ({@link GroupedQueryAttention}), {@code
 * mlpNorm}, {@code mlp} ({@link SwiGlu}). Input: (B, T, C) and the rotary angles of T positions;
 * output: (B, T, C).
 */
public final class LlamaBlock extends AbstractBlock {

  private final RmsNorm attentionNorm;
  private final GroupedQueryAttention attention;
  private final RmsNorm mlpNorm;
  private final SwiGlu mlp;

  /** Builds the block for {@code config}. */
  public LlamaBlock(LlamaConfig config) {
    attentionNorm = addChildBlock("attentionNorm", new RmsNorm(config.embeddingDim()));
    attention = addChildBlock("attention", new GroupedQueryAttention(config));
    mlpNorm = addChildBlock("mlpNorm", new RmsNorm(config.embeddingDim()));
    mlp = addChildBlock("mlp", new SwiGlu(config));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray normed = attentionNorm.forward(parameterStore, new NDList(x), training).head();
    NDList attentionInputs = new NDList(normed, inputs.get(1), inputs.get(2));
    x = x.add(attention.forward(parameterStore, attentionInputs, training).head());
    normed = mlpNorm.forward(parameterStore, new NDList(x), training).head();
    x = x.add(mlp.forward(parameterStore, new NDList(normed), training).head());
    return new NDList(x);
  }

  /**
   * One position for generation: {@code x} (B, 1, C) with the angles of its position, reading and
   * extending the attention's {@code cache}.
   */
  NDArray step(ParameterStore parameterStore, NDArray x, NDList angles, KeyValueCache cache) {
    NDArray normed = attentionNorm.forward(parameterStore, new NDList(x), false).head();
    NDArray h = x.add(attention.step(parameterStore, normed, angles, cache));
    normed = mlpNorm.forward(parameterStore, new NDList(h), false).head();
    return h.add(mlp.forward(parameterStore, new NDList(normed), false).head());
  }

  GroupedQueryAttention attention() {
    return attention;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    attentionNorm.initialize(manager, dataType, inputShapes[0]);
    attention.initialize(manager, dataType, inputShapes[0]);
    mlpNorm.initialize(manager, dataType, inputShapes[0]);
    mlp.initialize(manager, dataType, inputShapes[0]);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
