package org.millrace.trainer.model;

/**
 * Every hyper-parameter of an {@link Encoder}, named once. The sizes mean what they mean in {@link
 * GptConfig}; the mask token is the tokenizer's, which the masked-language-modelling objective puts
 * in place of most of the tokens the model must recover.
 *
 * @param vocabSize number of token ids, the mask token's included
 * @param blockSize context length: the most positions one sequence may have
 * @param layers number of {@link TransformerBlock}s
 * @param heads attention heads per block; must divide {@code embeddingDim}
 * @param embeddingDim width of the residual stream
 * @param tiedEmbeddings whether the LM head reuses the token embedding matrix, as BERT does
 * @param maskTokenId the tokenizer's mask token ({@code [MASK]}), in {@code [0, vocabSize)}
 */
public record EncoderConfig(
    int vocabSize,
    int blockSize,
    int layers,
    int heads,
    int embeddingDim,
    boolean tiedEmbeddings,
    int maskTokenId)
    implements ModelConfig {

  /** Validates the sizes, as a {@link GptConfig}'s, and the mask token. */
  public EncoderConfig {
    new GptConfig(vocabSize, blockSize, layers, heads, embeddingDim, tiedEmbeddings);
    if (maskTokenId < 0 || maskTokenId >= vocabSize) {
      throw new IllegalArgumentException(
          "maskTokenId " + maskTokenId + " is outside the vocabulary [0, " + vocabSize + ")");
    }
  }

  /** The encoder with the body of {@code shape}. */
  static EncoderConfig of(GptConfig shape, int maskTokenId) {
    return new EncoderConfig(
        shape.vocabSize(),
        shape.blockSize(),
        shape.layers(),
        shape.heads(),
        shape.embeddingDim(),
        shape.tiedEmbeddings(),
        maskTokenId);
  }

  /** The shape of {@link GptConfig#tiny}: 2 layers, 2 heads, 64 wide, context 64, tied. */
  public static EncoderConfig tiny(int vocabSize, int maskTokenId) {
    return of(GptConfig.tiny(vocabSize), maskTokenId);
  }

  /** The shape of {@link GptConfig#small}, model A: 4 layers, 4 heads, 128 wide, context 64. */
  public static EncoderConfig small(int vocabSize, int maskTokenId) {
    return of(GptConfig.small(vocabSize), maskTokenId);
  }

  /** The shape of {@link GptConfig#medium}, model B: 6 layers, 6 heads, 384 wide, context 256. */
  public static EncoderConfig medium(int vocabSize, int maskTokenId) {
    return of(GptConfig.medium(vocabSize), maskTokenId);
  }

  /**
   * BERT-base (Devlin et al. 2019, arXiv:1810.04805, section 3): 12 layers, 12 heads, 768 wide,
   * context 512, tied embeddings; 110M parameters with BERT's vocabulary of 30,522. The shape of
   * {@link GptConfig#gpt2} with half its context.
   */
  public static EncoderConfig base(int vocabSize, int maskTokenId) {
    return of(GptConfig.gpt2(vocabSize).withBlockSize(512), maskTokenId);
  }

  @Override
  public Architecture architecture() {
    return Architecture.ENCODER;
  }

  @Override
  public EncoderConfig withBlockSize(int blockSize) {
    return of(asGpt().withBlockSize(blockSize), maskTokenId);
  }

  @Override
  public Encoder newModel() {
    return new Encoder(this);
  }

  @Override
  public MaskedLanguageModelling objective() {
    return new MaskedLanguageModelling(vocabSize, maskTokenId);
  }

  /** The same count as a {@link GptConfig} of these sizes: the two share their body. */
  @Override
  public long parameterCount() {
    return asGpt().parameterCount();
  }

  /**
   * As {@link GptConfig#flopsPerToken()}: a causal model's estimate counts the whole T×T score
   * matrix too, so attention without a mask costs the same.
   */
  @Override
  public long flopsPerToken() {
    return asGpt().flopsPerToken();
  }

  private GptConfig asGpt() {
    return new GptConfig(vocabSize, blockSize, layers, heads, embeddingDim, tiedEmbeddings);
  }
}
