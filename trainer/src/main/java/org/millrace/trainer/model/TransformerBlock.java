package org.millrace.trainer.model;

import ai.djl.nn.norm.LayerNorm;

/**
 * One pre-LayerNorm transformer block, as GPT-2 (section 2.3 of its paper) and nanoGPT's {@code
 * Block}, for {@link Gpt} (causal attention) and {@link Encoder} (bidirectional): {@code x +
 * attention(norm(x))}, then {@code x + mlp(norm(x))}. Children: {@code attentionNorm}, {@code
 * attention} ({@link SelfAttention}), {@code mlpNorm}, {@code mlp} ({@link Mlp}); LayerNorm gamma
 * starts at 1 and beta at 0 (DJL's defaults for those parameter types). Input and output: (B, T,
 * C).
 */
public final class TransformerBlock extends AttentionBlock {

  /**
   * Builds the block.
   *
   * @param embeddingDim width C of the residual stream; {@code heads} must divide it
   * @param layers blocks in the model, which scale the residual projections' initialisation
   * @param causal whether a position may attend to the positions before it only
   */
  public TransformerBlock(int embeddingDim, int heads, int layers, boolean causal) {
    super(
        channelNorm(),
        new SelfAttention(embeddingDim, heads, layers, causal),
        channelNorm(),
        new Mlp(embeddingDim, layers));
  }

  /**
   * A LayerNorm over the channel axis of (B, T, C) only: without {@code axis(2)} DJL normalises
   * over T and C together (docs/djl.md, fact 1). Epsilon 1e-5 as PyTorch and nanoGPT.
   */
  static LayerNorm channelNorm() {
    return LayerNorm.builder().axis(2).optEpsilon(1e-5f).build();
  }
}
