package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The transformer's block, as GPT-2's and Llama's: {@code h = x + attention(norm(x))}, then {@code
 * h + mlp(norm(h))}. The two differ in their pieces ({@link TransformerBlock}, {@link LlamaBlock}).
 * Children: {@code attentionNorm}, {@code attention}, {@code mlpNorm}, {@code mlp}. Its generation
 * state is the attention's {@link KeyValueCache}.
 */
abstract sealed class AttentionBlock extends ResidualBlock permits TransformerBlock, LlamaBlock {

  private final Block attentionNorm;
  private final MultiHeadAttention attention;
  private final Block mlpNorm;
  private final Block mlp;

  AttentionBlock(Block attentionNorm, MultiHeadAttention attention, Block mlpNorm, Block mlp) {
    this.attentionNorm = addChildBlock("attentionNorm", attentionNorm);
    this.attention = addChildBlock("attention", attention);
    this.mlpNorm = addChildBlock("mlpNorm", mlpNorm);
    this.mlp = addChildBlock("mlp", mlp);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray h =
        addNormed(
            parameterStore, inputs.head(), attentionNorm, attention, positions(inputs), training);
    return new NDList(addNormed(parameterStore, h, mlpNorm, mlp, new NDList(), training));
  }

  @Override
  LayerState newState(NDManager manager, int batch, int capacity, DataType type) {
    return attention.newCache(manager, batch, capacity, type);
  }

  @Override
  NDArray step(ParameterStore parameterStore, NDArray x, NDList positions, LayerState state) {
    NDArray normed = attentionNorm.forward(parameterStore, new NDList(x), false).head();
    NDArray h = x.add(attention.step(parameterStore, normed, positions, (KeyValueCache) state));
    return addNormed(parameterStore, h, mlpNorm, mlp, new NDList(), false);
  }
}
