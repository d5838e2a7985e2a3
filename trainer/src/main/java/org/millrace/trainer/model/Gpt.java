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
 * checkpoint files use the same names. Initialisation is GPT-2's ({@link LanguageModel}).
 */
public final class Gpt extends LearnedPositionTransformer {

  private final GptConfig config;

  /** Builds the model for {@code config}; call {@link #initializeParameters} before use. */
  public Gpt(GptConfig config) {
    super(
        config.vocabSize(),
        config.blockSize(),
        config.layers(),
        config.heads(),
        config.embeddingDim(),
        config.tiedEmbeddings(),
        true);
    this.config = config;
  }

  @Override
  public GptConfig config() {
    return config;
  }
}
