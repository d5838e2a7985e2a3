package org.millrace.trainer.model;

import static org.millrace.trainer.model.GptInitialisation.projection;
import static org.millrace.trainer.model.GptInitialisation.residualProjection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

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
public final class GroupedQueryAttention extends MultiHeadAttention {

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
    super(heads, kvHeads, headDim, true);
    rotary = new RotaryEmbedding(headDim, ropeTheta);
    long kvWidth = (long) kvHeads * headDim;
    // bias-free, as Llama's
    query = addChildBlock("query", projection((long) heads * headDim, false));
    key = addChildBlock("key", projection(kvWidth, false));
    value = addChildBlock("value", projection(kvWidth, false));
    proj = addChildBlock("proj", residualProjection(embeddingDim, false, layers));
  }

  @Override
  NDList queriesKeysValues(ParameterStore parameterStore, NDArray x, boolean training) {
    NDList hidden = new NDList(x);
    return new NDList(
        queryHeads(query.forward(parameterStore, hidden, training).head()),
        keyValueHeads(key.forward(parameterStore, hidden, training).head()),
        keyValueHeads(value.forward(parameterStore, hidden, training).head()));
  }

  /**
   * Queries and keys rotated by the angles of their positions, from {@link RotaryEmbedding#angles}.
   */
  @Override
  NDArray positioned(NDArray headsOfX, NDList angles) {
    return rotary.rotate(headsOfX, angles);
  }

  @Override
  Linear outputProjection() {
    return proj;
  }
}
