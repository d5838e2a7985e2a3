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
 * Llama's causal self-attention: bias-free projections, {@link RotaryEmbedding} on queries and
 * keys, and grouped-query attention (Ainslie et al. 2023, arXiv:2305.13245), where {@code heads}
 * query heads share {@code kvHeads} key and value heads, each serving {@code heads / kvHeads}
 * consecutive query heads. With {@code kvHeads == heads} it is multi-head attention; with one, it
 * is multi-query attention (Shazeer 2019, arXiv:1911.02150).
 *
 * <p>Parameters: {@code query.weight} (C, C), {@code key.weight} and {@code value.weight} (kvHeads
 * · headDim, C), {@code proj.weight} (C, C). Input: (B, T, C) and the angles of T positions from
 * {@link RotaryEmbedding#angles}; output (B, T, C).
 */
public final class GroupedQueryAttention extends AbstractBlock {

  private final int heads;
  private final int kvHeads;
  private final int headDim;
  private final RotaryEmbedding rotary;
  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear proj;

  /** Builds the block for {@code config}, with GPT-2's initialisation set on its weights. */
  public GroupedQueryAttention(LlamaConfig config) {
    heads = config.heads();
    kvHeads = config.kvHeads();
    headDim = config.headDim();
    rotary = new RotaryEmbedding(headDim, config.ropeTheta());
    long kvWidth = (long) kvHeads * headDim;
    query = addChildBlock("query", projection(config.embeddingDim()));
    key = addChildBlock("key", projection(kvWidth));
    value = addChildBlock("value", projection(kvWidth));
    proj = addChildBlock("proj", projection(config.embeddingDim()));
    for (Linear input : new Linear[] {query, key, value}) {
      input.setInitializer(new NormalInitializer(LanguageModel.INIT_STD), Parameter.Type.WEIGHT);
    }
    proj.setInitializer(
        new NormalInitializer(LanguageModel.residualInitStd(config.layers())),
        Parameter.Type.WEIGHT);
  }

  private static Linear projection(long units) {
    return Linear.builder().setUnits(units).optBias(false).build();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDList angles = new NDList(inputs.get(1), inputs.get(2));
    NDList hidden = new NDList(x);
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    long c = x.getShape().get(2);

    NDArray q = heads(query.forward(parameterStore, hidden, training), b, t, heads);
    NDArray k = heads(key.forward(parameterStore, hidden, training), b, t, kvHeads);
    NDArray v = heads(value.forward(parameterStore, hidden, training), b, t, kvHeads);
    q = rotary.rotate(q, angles);
    k = rotary.rotate(k, angles);
    if (kvHeads < heads) {
      // each key and value head serves heads/kvHeads consecutive query heads: repeat_interleave
      // over the head axis, as llama's repeat_kv
      k = k.repeat(1, heads / kvHeads);
      v = v.repeat(1, heads / kvHeads);
    }
    NDArray y = ScaledDotProductAttention.attend(q, k, v, true);

    NDArray merged = y.transpose(0, 2, 1, 3).reshape(b, t, c);
    return proj.forward(parameterStore, new NDList(merged), training);
  }

  /** (B, T, n · headDim) -> (B, n, T, headDim). */
  private NDArray heads(NDList projected, long b, long t, int n) {
    return projected.singletonOrThrow().reshape(b, t, n, headDim).transpose(0, 2, 1, 3);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (Linear linear : new Linear[] {query, key, value, proj}) {
      linear.initialize(manager, dataType, inputShapes[0]);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
