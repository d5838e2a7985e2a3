package org.millrace.trainer.model;

/**
 * A BERT-style encoder (Devlin et al. 2019, arXiv:1810.04805) trained by masked language modelling
 * ({@link MaskedLanguageModelling}): the body of {@link Gpt} with bidirectional attention, so that
 * every position sees the whole sequence, and logits for the original token at each position.
 *
 * <p>It departs from BERT where GPT-2 and later encoders did: LayerNorm before each sub-layer
 * rather than after (pre-LN, as GPT-2 and Xiong et al. 2020, arXiv:2002.04745, which trains without
 * BERT's long warm-up), no segment embeddings nor next-sentence objective (dropped by RoBERTa, Liu
 * et al. 2019, arXiv:1907.11692), and no extra dense layer in the prediction head: the final
 * LayerNorm feeds the (tied) LM head directly. Parameters are named as {@link Gpt}'s.
 */
public final class Encoder extends LearnedPositionTransformer {

  /** Builds the model for {@code config}; call {@link #initializeParameters} before use. */
  public Encoder(EncoderConfig config) {
    super(config, config.heads(), false);
  }
}
