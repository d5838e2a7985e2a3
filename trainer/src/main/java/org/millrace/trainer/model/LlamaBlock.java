package org.millrace.trainer.model;

/**
 * One Llama block (Touvron et al. 2023, arXiv:2302.13971, section 2.2), as Meta's {@code
 * TransformerBlock}: {@code h = x + attention(rmsNorm(x))}, then {@code h + swiGlu(rmsNorm(h))}.
 * Children: {@code attentionNorm} ({@link RmsNorm}), {@code attention} ({@link
 * GroupedQueryAttention}), {@code mlpNorm} ({@link RmsNorm}), {@code mlp} ({@link SwiGlu}). Input:
 * (B, T, C) and the rotary angles of T positions; output: (B, T, C).
 */
public final class LlamaBlock extends AttentionBlock {

  /** Builds the block for {@code config}. */
  public LlamaBlock(LlamaConfig config) {
    super(
        new RmsNorm(config.embeddingDim()),
        new GroupedQueryAttention(config),
        new RmsNorm(config.embeddingDim()),
        new SwiGlu(config));
  }
}
