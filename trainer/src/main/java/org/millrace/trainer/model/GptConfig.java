package org.millrace.trainer.model;

import static org.millrace.trainer.model.ConfigChecks.requireDivisible;
import static org.millrace.trainer.model.ConfigChecks.requirePositive;
import static org.millrace.trainer.model.ConfigChecks.requireStack;

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
    int vocabSize, int blockSize, int layers, int heads, int embeddingDim, boolean tiedEmbeddings)
    implements ModelConfig {

  /** Validates the sizes, so that a bad configuration fails here rather than inside PyTorch. */
  public GptConfig {
    requireStack(vocabSize, blockSize, layers, embeddingDim);
    requirePositive("heads", heads);
    requireDivisible("embeddingDim", embeddingDim, "heads", heads);
  }

  /**
   * A model small enough for unit tests and demos on a laptop CPU: 2 layers, 2 heads, 64 wide,
   * context 64, tied embeddings.
   */
  public static GptConfig tiny(int vocabSize) {
    return new GptConfig(vocabSize, 64, 2, 2, 64, true);
  }

  /**
   * Model A of docs/djl.md (4 layers, 4 heads, 128 wide, context 64, tied embeddings): about 8,800
   * tokens/s on 2 CPU cores with vocabulary 4096.
   */
  public static GptConfig small(int vocabSize) {
    return new GptConfig(vocabSize, 64, 4, 4, 128, true);
  }

  /**
   * Model B of docs/djl.md (6 layers, 6 heads, 384 wide, context 256, tied embeddings): about 1,300
   * tokens/s on 2 CPU cores with vocabulary 8192, 13.9M parameters.
   */
  public static GptConfig medium(int vocabSize) {
    return new GptConfig(vocabSize, 256, 6, 6, 384, true);
  }

  /**
   * GPT-2 small (Radford et al. 2019, table 2; nanoGPT's {@code gpt2}): 12 layers, 12 heads, 768
   * wide, context 1024, tied embeddings; 124M parameters with GPT-2's vocabulary of 50,257.
   */
  public static GptConfig gpt2(int vocabSize) {
    return new GptConfig(vocabSize, 1024, 12, 12, 768, true);
  }

  @Override
  public Architecture architecture() {
    return Architecture.GPT;
  }

  @Override
  public GptConfig withBlockSize(int blockSize) {
    return new GptConfig(vocabSize, blockSize, layers, heads, embeddingDim, tiedEmbeddings);
  }

  @Override
  public Gpt newModel() {
    return new Gpt(this);
  }

  /** Width of one attention head. */
  public int headDim() {
    return embeddingDim / heads;
  }

  @Override
  public long parameterCount() {
    long c = embeddingDim;
    // per block: 2 LayerNorms (2c each), qkv (3c² + 3c), attention projection (c² + c),
    // MLP up (4c² + 4c) and down (4c² + c)
    long perBlock = 12 * c * c + 13 * c;
    long count = (long) vocabSize * c + blockSize * c + layers * perBlock + 2 * c;
    return tiedEmbeddings ? count : count + (long) vocabSize * c;
  }

  @Override
  public long flopsPerToken() {
    long n = parameterCount() - (long) blockSize * embeddingDim;
    return 6 * n + 12L * layers * embeddingDim * blockSize;
  }
}
