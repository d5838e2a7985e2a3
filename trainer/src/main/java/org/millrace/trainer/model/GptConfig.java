package org.millrace.trainer.model;

/**
 * Every hyper-parameter of a {@link Gpt}, named once, as nanoGPT's {@code GPTConfig}. Dropout is
 * not a field: it is always 0, as nanoGPT recommends for pre-training.
 *
 * @param vocabSize number of token ids; ids run from 0 to {@code vocabSize - 1}
 * @param blockSize context length: the most positions one sequence may have
 * @param layers number of {@link TransformerBlock}s
 * @param heads attention heads per block; must divide {@code embeddingDim}
 * @param embeddingDim width of the residual stream
 * @param tiedEmbeddings whether the LM head reuses the token embedding matrix, as GPT-2 does
 */
public record GptConfig(
    int vocabSize, int blockSize, int layers, int heads, int embeddingDim, boolean tiedEmbeddings) {

  /** Validates the sizes, so that a bad configuration fails here rather than inside PyTorch. */
  public GptConfig {
    requirePositive("vocabSize", vocabSize);
    requirePositive("blockSize", blockSize);
    requirePositive("layers", layers);
    requirePositive("heads", heads);
    requirePositive("embeddingDim", embeddingDim);
    if (embeddingDim % heads != 0) {
      throw new IllegalArgumentException(
          "embeddingDim (" + embeddingDim + ") must be divisible by heads (" + heads + ")");
    }
  }

  /**
   * A model small enough for unit tests and demos on a laptop CPU: 2 layers, 2 heads, 64 wide,
   * context 64, tied embeddings.
   */
  public static GptConfig tiny(int vocabSize) {
    return new GptConfig(vocabSize, 64, 2, 2, 64, true);
  }

  /**
   * Model A of {@code shared/notes/djl.md} (4 layers, 4 heads, 128 wide, context 64, tied
   * embeddings): about 8,800 tokens/s on 2 CPU cores with vocabulary 4096.
   */
  public static GptConfig small(int vocabSize) {
    return new GptConfig(vocabSize, 64, 4, 4, 128, true);
  }

  /** Width of one attention head. */
  public int headDim() {
    return embeddingDim / heads;
  }

  /** Number of trainable values in the model, counting a tied embedding matrix once. */
  public long parameterCount() {
    long c = embeddingDim;
    // per block: 2 LayerNorms (2c each), qkv (3c² + 3c), attention projection (c² + c),
    // MLP up (4c² + 4c) and down (4c² + c)
    long perBlock = 12 * c * c + 13 * c;
    long count = (long) vocabSize * c + blockSize * c + layers * perBlock + 2 * c;
    return tiedEmbeddings ? count : count + (long) vocabSize * c;
  }

  /**
   * Floating-point operations of one forward and backward pass, per token, for sequences of {@code
   * blockSize}: {@code 6N + 12·layers·embeddingDim·blockSize}, where N leaves out the position
   * embeddings. This is nanoGPT's {@code estimate_mfu}, after PaLM (arXiv:2204.02311) Appendix B;
   * divide tokens/s times this by the hardware's peak FLOP/s to get MFU.
   */
  public long flopsPerToken() {
    long n = parameterCount() - (long) blockSize * embeddingDim;
    return 6 * n + 12L * layers * embeddingDim * blockSize;
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
