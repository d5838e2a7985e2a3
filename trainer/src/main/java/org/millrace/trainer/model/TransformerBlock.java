package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-LayerNorm transformer block, as GPT-2 (section 2.3 of its paper) and nanoGPT's {@code
 * Block}, for {@link Gpt} (causal attention) and {@link Encoder} (bidirectional): {@code x +
 * attention(norm(x))}, then {@code x + mlp(norm(x))}. Children: {@code attentionNorm}, {@code
 * attention}, {@code mlpNorm}, {@code mlp}; LayerNorm gamma starts at 1 and beta at 0 (DJL's
 * defaults for those parameter types).
 */
public final class TransformerBlock extends AbstractBlock {

  private final LayerNorm attentionNorm;
  private final SelfAttention attention;
  private final LayerNorm mlpNorm;
  private final Mlp mlp;

  /**
   * Builds the block.
   *
   * @param embeddingDim width C of the residual stream; {@code heads} must divide it
   * @param layers blocks in the model, which scale the residual projections' initialisation
   * @param causal whether a position may attend to the positions before it only
   */
  public TransformerBlock(int embeddingDim, int heads, int layers, boolean causal) {
    attentionNorm = addChildBlock("attentionNorm", channelNorm());
    attention = addChildBlock("attention", new SelfAttention(embeddingDim, heads, layers, causal));
    mlpNorm = addChildBlock("mlpNorm", channelNorm());
    mlp = addChildBlock("mlp", new Mlp(embeddingDim, layers));
  }

  /**
   * A LayerNorm over the channel axis of (B, T, C) only: without {@code axis(2)} DJL normalises
   * over T and C together (docs/djl.md, fact 1). Epsilon 1e-5 as PyTorch and nanoGPT.
   */
  static LayerNorm channelNorm() {
    return LayerNorm.builder().axis(2).optEpsilon(1e-5f).build();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDList normed = attentionNorm.forward(parameterStore, inputs, training);
    x = x.add(attention.forward(parameterStore, normed, training).singletonOrThrow());
    normed = mlpNorm.forward(parameterStore, new NDList(x), training);
    x = x.add(mlp.forward(parameterStore, normed, training).singletonOrThrow());
    return new NDList(x);
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
