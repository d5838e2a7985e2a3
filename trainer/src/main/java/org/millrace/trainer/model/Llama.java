package org.millrace.trainer.model;

/**
 * A Llama-style decoder (Touvron et al. 2023, arXiv:2302.13971), as Meta's {@code model.py} and
 * llama2.c's: a token embedding without position embedding (positions enter as rotations of queries
 * and keys, {@link RotaryEmbedding}), {@link LlamaBlock}s, a final {@link RmsNorm} and an LM head,
 * trained to predict the next token ({@link NextTokenPrediction}). Input: (B, T) int64 token ids
 * with T at most {@link LlamaConfig#blockSize()}; output: (B, T, vocabSize) logits.
 *
 * <p>Parameters: {@code tokenEmbedding}, {@code blocks.<i>.attentionNorm.weight}, {@code
 * blocks.<i>.attention.{query,key,value,proj}.weight}, {@code blocks.<i>.mlpNorm.weight}, {@code
 * blocks.<i>.mlp.{gate,up,down}.weight}, {@code finalNorm.weight} and {@code lmHead.weight} (untied
 * only). Initialisation is GPT-2's ({@link LanguageModel}), as llama2.c's: Meta's code does not
 * publish one.
 *
 * <p>As an {@link IncrementalDecoder} it generates with a KV cache per layer.
 */
public final class Llama extends RotaryDecoder {

  /** Builds the model for {@code config}; call {@link #initializeParameters} before use. */
  public Llama(LlamaConfig config) {
    super(
        config,
        () -> new LlamaBlock(config),
        new RmsNorm(config.embeddingDim()),
        config.headDim(),
        config.ropeTheta());
  }
}
