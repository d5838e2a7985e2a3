package org.millrace.trainer.model;

/**
 * A GPT-2-style decoder (Radford et al. 2019), as nanoGPT's {@code GPT}: token and learned position
 * embeddings, pre-LayerNorm {@link TransformerBlock}s with causal {@link SelfAttention}, a final
 * LayerNorm and an LM head, trained to predict the next token ({@link NextTokenPrediction}). Input:
 * (B, T) int64 token ids with T at most {@link GptConfig#blockSize()}; output: (B, T, vocabSize)
 * logits for the next token at each position.
 *
 * <p>Parameters have dotted names that follow the block tree, e.g. {@code tokenEmbedding}, {@code
 * blocks.0.attention.qkv.weight}, {@code finalNorm.gamma}, {@code lmHead.weight} (untied only); the
 * checkpoint files use the same names. Initialisation is GPT-2's ({@link GptInitialisation}).
 *
 * <p>As an {@link IncrementalDecoder} it generates with a KV cache per layer: the position
 * embedding of the new position is added to its token's, and its keys and values join those kept.
 */
public final class Gpt extends LearnedPositionTransformer implements IncrementalDecoder {

  /** Builds the model for {@code config}; call {@link #initializeParameters} before use. */
  public Gpt(GptConfig config) {
    super(config, config.heads(), true);
  }
}
