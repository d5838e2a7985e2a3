package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * Multi-head self-attention as GPT-2's and nanoGPT's {@code CausalSelfAttention}: one projection to
 * queries, keys and values for all heads, {@link ScaledDotProductAttention} (causal for {@link
 * Gpt}, bidirectional for {@link Encoder}), and an output projection back to the residual stream.
 * Parameters: {@code qkv.weight}, {@code qkv.bias}, {@code proj.weight}, {@code proj.bias}. Input
 * and output are (B, T, C).
 */
public final class SelfAttention extends AbstractBlock {

  private final int heads;
  private final boolean causal;
  private final Linear qkv;
  private final Linear proj;

  /**
   * Builds the block with GPT-2's initialisation set on its weights.
   *
   * @param embeddingDim width C of the residual stream; {@code heads} must divide it
   * @param layers blocks in the model, which scale the output projection's initialisation
   * @param causal whether a position may attend to the positions before it only
   */
  public SelfAttention(int embeddingDim, int heads, int layers, boolean causal) {
    this.heads = heads;
    this.causal = causal;
    qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * embeddingDim).build());
    proj = addChildBlock("proj", Linear.builder().setUnits(embeddingDim).build());
    qkv.setInitializer(new NormalInitializer(LanguageModel.INIT_STD), Parameter.Type.WEIGHT);
    proj.setInitializer(
        new NormalInitializer(LanguageModel.residualInitStd(layers)), Parameter.Type.WEIGHT);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    long c = x.getShape().get(2);
    long headDim = c / heads;

    NDList qkvSplit = qkv.forward(parameterStore, inputs, training).singletonOrThrow().split(3, 2);
    // split C into heads that attend independently: (B, T, C) -> (B, heads, T, headDim)
    NDArray q = qkvSplit.get(0).reshape(b, t, heads, headDim).transpose(0, 2, 1, 3);
    NDArray k = qkvSplit.get(1).reshape(b, t, heads, headDim).transpose(0, 2, 1, 3);
    NDArray v = qkvSplit.get(2).reshape(b, t, heads, headDim).transpose(0, 2, 1, 3);
    NDArray y = ScaledDotProductAttention.attend(q, k, v, causal);

    // re-assemble the heads side by side: (B, heads, T, headDim) -> (B, T, C)
    NDArray merged = y.transpose(0, 2, 1, 3).reshape(b, t, c);
    return proj.forward(parameterStore, new NDList(merged), training);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    qkv.initialize(manager, dataType, inputShapes[0]);
    proj.initialize(manager, dataType, inputShapes[0]);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
