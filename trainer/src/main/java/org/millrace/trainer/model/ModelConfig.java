package org.millrace.trainer.model;

/**
 * The configuration of one of the zoo's models: which {@link Architecture}, its sizes, and from
 * them the model, its training objective and its cost. Each architecture has its own record, which
 * names every hyper-parameter once and offers named presets.
 */
public sealed interface ModelConfig permits GptConfig, LlamaConfig, EncoderConfig, HybridConfig {

  /** Which model this configures. */
  Architecture architecture();

  /** Number of token ids; ids run from 0 to {@code vocabSize - 1}. */
  int vocabSize();

  /** Context length: the most positions one sequence may have. */
  int blockSize();

  /** Number of blocks in the model's stack. */
  int layers();

  /** Width of the residual stream. */
  int embeddingDim();

  /** Whether the LM head reuses the token embedding matrix. */
  boolean tiedEmbeddings();

  /** The same model with another context length, for a block size set apart from the preset. */
  ModelConfig withBlockSize(int blockSize);

  /** Number of trainable values in the model, counting a tied embedding matrix once. */
  long parameterCount();

  /**
   * Floating-point operations of one forward and backward pass, per token, for sequences of {@code
   * blockSize}: {@code 6N + 12·layers·embeddingDim·blockSize}, where N leaves out position
   * embeddings. This is nanoGPT's {@code estimate_mfu}, after PaLM (arXiv:2204.02311) Appendix B;
   * divide tokens/s times this by the hardware's peak FLOP/s to get MFU.
   */
  long flopsPerToken();

  /** A new, uninitialised model of this configuration. */
  LanguageModel newModel();

  /**
   * What the model is trained to predict from a window of token ids: the next token, for the
   * decoders.
   */
  default TrainingObjective objective() {
    return new NextTokenPrediction();
  }
}
