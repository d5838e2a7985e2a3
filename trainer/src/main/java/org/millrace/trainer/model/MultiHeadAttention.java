package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

/**
 * Attention of {@code heads} query heads over {@code kvHeads} key and value heads of {@code
 * headDim} channels each, as both {@link SelfAttention} (GPT-2) and {@link GroupedQueryAttention}
 * (Llama) compute it: project the stream to queries, keys and values, give them their positions
 * (rotary, or nothing when the stream carries them), {@link ScaledDotProductAttention}, and project
 * the heads, side by side, back to the stream. The two differ in how they project and position.
 *
 * <p>Input: (B, T, C) followed by the position inputs of T positions; output (B, T, C). For
 * generation, {@link #step} computes one new position from the keys and values of the earlier ones
 * kept in a {@link KeyValueCache}.
 */
abstract class MultiHeadAttention extends AbstractBlock {

  private final int heads;
  private final int kvHeads;
  private final int headDim;
  private final boolean causal;

  /**
   * @param kvHeads key and value heads, each serving {@code heads / kvHeads} consecutive query
   *     heads
   * @param causal whether a position may attend to the positions before it only
   */
  MultiHeadAttention(int heads, int kvHeads, int headDim, boolean causal) {
    this.heads = heads;
    this.kvHeads = kvHeads;
    this.headDim = headDim;
    this.causal = causal;
  }

  /** The queries (B, heads, T, headDim), keys and values (B, kvHeads, T, headDim) of {@code x}. */
  abstract NDList queriesKeysValues(ParameterStore parameterStore, NDArray x, boolean training);

  /**
   * {@code headsOfX} (B, n, T, headDim) given the positions of {@code positions}; as they are where
   * the stream already carries its positions.
   */
  NDArray positioned(NDArray headsOfX, NDList positions) {
    return headsOfX;
  }

  /** The projection from the heads side by side back to the stream: the last child. */
  abstract Linear outputProjection();

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDList positions = inputs.subNDList(1);
    NDList qkv = queriesKeysValues(parameterStore, inputs.head(), training);
    NDArray q = positioned(qkv.get(0), positions);
    NDArray k = positioned(qkv.get(1), positions);
    NDArray y = ScaledDotProductAttention.attend(q, shared(k), shared(qkv.get(2)), causal);
    return project(parameterStore, y, training);
  }

  /**
   * One new position for generation: {@code x} (B, 1, C) at position {@code cache.length()}, with
   * the position inputs of that position, attending to the keys and values of every earlier
   * position kept in {@code cache} and to its own, which it appends there. Equals the last position
   * of {@link #forward} over all positions so far.
   */
  NDArray step(ParameterStore parameterStore, NDArray x, NDList positions, KeyValueCache cache) {
    NDList qkv = queriesKeysValues(parameterStore, x, false);
    NDList seen = cache.append(positioned(qkv.get(1), positions), qkv.get(2));
    // one query after every cached key: nothing in the past is masked
    NDArray y =
        ScaledDotProductAttention.attend(
            positioned(qkv.get(0), positions), shared(seen.get(0)), shared(seen.get(1)), false);
    return project(parameterStore, y, false).head();
  }

  /**
   * A cache for {@code batch} sequences of up to {@code capacity} positions.
   *
   * @throws IllegalStateException for bidirectional attention, where every position reads the later
   *     ones too: it cannot compute one position at a time
   */
  KeyValueCache newCache(NDManager manager, int batch, int capacity, DataType type) {
    if (!causal) {
      throw new IllegalStateException(
          "bidirectional attention reads every position: it cannot generate one at a time");
    }
    return new KeyValueCache(manager, batch, kvHeads, capacity, headDim, type);
  }

  /** (B, T, heads · headDim) -> (B, heads, T, headDim): the query heads attend independently. */
  NDArray queryHeads(NDArray projected) {
    return splitHeads(projected, heads);
  }

  /** (B, T, kvHeads · headDim) -> (B, kvHeads, T, headDim). */
  NDArray keyValueHeads(NDArray projected) {
    return splitHeads(projected, kvHeads);
  }

  private NDArray splitHeads(NDArray projected, int n) {
    Shape shape = projected.getShape();
    return projected.reshape(shape.get(0), shape.get(1), n, headDim).transpose(0, 2, 1, 3);
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
    return outputProjection().forward(parameterStore, new NDList(merged), training);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape input = inputShapes[0];
    Shape merged = new Shape(input.get(0), input.get(1), (long) heads * headDim);
    for (Pair<String, Block> child : getChildren()) {
      Block block = child.getValue();
      block.initialize(manager, dataType, block == outputProjection() ? merged : input);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
