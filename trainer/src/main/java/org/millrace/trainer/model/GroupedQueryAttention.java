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
    this(
        config.embeddingDim(),
        config.heads(),
        config.kvHeads(),
        config.headDim(),
        config.ropeTheta(),
        config.layers());
  }

  /**
   * Builds attention with {@code heads · headDim} channels, which need not be the width of the
   * residual stream (the hybrid's attention uses part of it), with GPT-2's initialisation.
   *
   * @param layers the model's blocks, which scale the output projection's initialisation
   */
  GroupedQueryAttention(
      int embeddingDim, int heads, int kvHeads, int headDim, double ropeTheta, int layers) {
    this.heads = heads;
    this.kvHeads = kvHeads;
    this.headDim = headDim;
    rotary = new RotaryEmbedding(headDim, ropeTheta);
    long kvWidth = (long) kvHeads * headDim;
    query = addChildBlock("query", projection((long) heads * headDim));
    key = addChildBlock("key", projection(kvWidth));
    value = addChildBlock("value", projection(kvWidth));
    proj = addChildBlock("proj", projection(embeddingDim));
    for (Linear input : new Linear[] {query, key, value}) {
      input.setInitializer(new NormalInitializer(LanguageModel.INIT_STD), Parameter.Type.WEIGHT);
    }
    proj.setInitializer(
        new NormalInitializer(LanguageModel.residualInitStd(layers)), Parameter.Type.WEIGHT);
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

    NDArray q = heads(query.forward(parameterStore, hidden, training), b, t, heads);
    NDArray k = heads(key.forward(parameterStore, hidden, training), b, t, kvHeads);
    NDArray v = heads(value.forward(parameterStore, hidden, training), b, t, kvHeads);
    q = rotary.rotate(q, angles);
    k = rotary.rotate(k, angles);
    NDArray y = ScaledDotProductAttention.attend(q, shared(k), shared(v), true);
    return project(parameterStore, y, training);
  }

  /**
   * One new position for generation: {@code x} (B, 1, C) at position {@code cache.length()}, with
   * the angles of that position, attending to the keys and values of every earlier position kept in
   * {@code cache} and to its own, which it appends there. Equals the last position of {@link
   * #forward} over all positions so far.
   */
  NDArray step(ParameterStore parameterStore, NDArray x, NDList angles, KeyValueCache cache) {
    NDList hidden = new NDList(x);
    long b = x.getShape().get(0);
    NDArray q = heads(query.forward(parameterStore, hidden, false), b, 1, heads);
    NDArray k = heads(key.forward(parameterStore, hidden, false), b, 1, kvHeads);
    NDArray v = heads(value.forward(parameterStore, hidden, false), b, 1, kvHeads);
    NDList seen = cache.append(rotary.rotate(k, angles), v);
    // one query after every cached key: nothing in the past is masked
    NDArray y =
        ScaledDotProductAttention.attend(
            rotary.rotate(q, angles), shared(seen.get(0)), shared(seen.get(1)), false);
    return project(parameterStore, y, false).head();
  }

  /** A cache for {@code batch} sequences of up to {@code capacity} positions. */
  KeyValueCache newCache(NDManager manager, int batch, int capacity, DataType type) {
    return new KeyValueCache(manager, batch, kvHeads, capacity, headDim, type);
  }

  /**
   * Keys or values of {@code kvHeads} heads given to all query heads: each serves heads/kvHeads
   * consecutive query heads, repeat_interleave over the head axis, as llama's repeat_kv.
   */
  private NDArray shared(NDArray kv) {
    return kvHeads < heads ? kv.repeat(1, heads / kvHeads) : kv;
  }

  /** (B, heads, T, headDim) -> (B, T, heads · headDim) -> the output projection. */
  private NDList project(ParameterStore parameterStore, NDArray y, boolean training) {
    Shape shape = y.getShape();
    NDArray merged =
        y.transpose(0, 2, 1, 3).reshape(shape.get(0), shape.get(2), (long) heads * headDim);
    return proj.forward(parameterStore, new NDList(merged), training);
  }

  /** (B, T, n · headDim) -> (B, n, T, headDim). */
  private NDArray heads(NDList projected, long b, long t, int n) {
    return projected.singletonOrThrow().reshape(b, t, n, headDim).transpose(0, 2, 1, 3);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape input = inputShapes[0];
    for (Linear linear : new Linear[] {query, key, value}) {
      linear.initialize(manager, dataType, input);
    }
    proj.initialize(
        manager, dataType, new Shape(input.get(0), input.get(1), (long) heads * headDim));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
