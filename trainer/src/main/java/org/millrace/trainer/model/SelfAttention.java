package org.millrace.trainer.model;

import static org.millrace.trainer.model.GptInitialisation.projection;
import static org.millrace.trainer.model.GptInitialisation.residualProjection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/**
 * Multi-head self-attention as GPT-2's and nanoGPT's {@code CausalSelfAttention}: one projection to
 * queries, keys and values for all heads, {@link ScaledDotProductAttention} (causal for {@link
 * Gpt}, bidirectional for {@link Encoder}), and an output projection back to the residual stream.
 * Positions are in the stream already (learned position embeddings). Parameters: {@code
 * qkv.weight}, {@code qkv.bias}, {@code proj.weight}, {@code proj.bias}. Input and output are (B,
 * T, C).
 */
public final class SelfAttention extends MultiHeadAttention {

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
    super(heads, heads, embeddingDim / heads, causal);
    qkv = addChildBlock("qkv", projection(3L * embeddingDim, true));
    proj = addChildBlock("proj", residualProjection(embeddingDim, true, layers));
  }

  @Override
  NDList queriesKeysValues(ParameterStore parameterStore, NDArray x, boolean training) {
    NDList split = qkv.forward(parameterStore, new NDList(x), training).head().split(3, 2);
    return new NDList(
        queryHeads(split.get(0)), keyValueHeads(split.get(1)), keyValueHeads(split.get(2)));
  }

  @Override
  Linear outputProjection() {
    return proj;
  }
}
