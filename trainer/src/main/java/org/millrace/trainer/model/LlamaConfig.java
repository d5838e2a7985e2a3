package org.millrace.trainer.model;

import static org.millrace.trainer.model.ConfigChecks.requireDivisible;
import static org.millrace.trainer.model.ConfigChecks.requirePositive;
import static org.millrace.trainer.model.ConfigChecks.requireRotary;
import static org.millrace.trainer.model.ConfigChecks.requireStack;

/**
 * Every hyper-parameter of a {@link Llama}, named once, as Meta's and llama2.c's {@code ModelArgs}
 * with the derived sizes written out. Dropout is always 0, RMSNorm's epsilon 1e-5 ({@link
 * RmsNorm}).
 *
 * @param vocabSize number of token ids; ids run from 0 to {@code vocabSize - 1}
 * @param blockSize context length: the most positions one sequence may have
 * @param layers number of {@link LlamaBlock}s
 * @param heads query heads per block; must divide {@code embeddingDim}
 * @param kvHeads key and value heads per block ({@link GroupedQueryAttention}); must divide {@code
 *     heads}; equal to {@code heads} for plain multi-head attention
 * @param embeddingDim width of the residual stream
 * @param hiddenDim width of the {@link SwiGlu} feed-forward network; {@link #swiGluHiddenDim} gives
 *     Llama's choice
 * @param ropeTheta base of the rotary frequencies ({@link RotaryEmbedding}): 10,000 in Llama 1 and
 *     2
 * @param tiedEmbeddings whether the LM head reuses the token embedding matrix, as llama2.c does
 *     (Meta's Llama does not)
 */
public record LlamaConfig(
    int vocabSize,
    int blockSize,
    int layers,
    int heads,
    int kvHeads,
    int embeddingDim,
    int hiddenDim,
    double ropeTheta,
    boolean tiedEmbeddings)
    implements ModelConfig {

  /** RoFormer's and Llama 2's base of the rotary frequencies. */
  public static final double ROPE_THETA = 10_000;

  /** Validates the sizes, so that a bad configuration fails here rather than inside PyTorch. */
  public LlamaConfig {
    requireStack(vocabSize, blockSize, layers, embeddingDim);
    requirePositive("heads", heads);
    requirePositive("kvHeads", kvHeads);
    requirePositive("hiddenDim", hiddenDim);
    requireDivisible("embeddingDim", embeddingDim, "heads", heads);
    requireDivisible("heads", heads, "kvHeads", kvHeads);
    requireRotary(embeddingDim / heads, ropeTheta);
  }

  /**
   * Llama's feed-forward width for a residual stream of {@code embeddingDim}: two thirds of 4·C, so
   * that SwiGLU's three matrices cost what GPT's two of 4·C do (Shazeer 2020, section 2), rounded
   * up to a multiple of 32 (llama2.c's {@code multiple_of}; Meta uses 256 for its larger models).
   */
  public static int swiGluHiddenDim(int embeddingDim) {
    int hidden = 2 * (4 * embeddingDim) / 3;
    return 32 * ((hidden + 31) / 32);
  }

  /** 2 layers, 2 heads, 64 wide, context 64, tied embeddings: {@link GptConfig#tiny}'s shape. */
  public static LlamaConfig tiny(int vocabSize) {
    return of(vocabSize, 64, 2, 2, 2, 64);
  }

  /**
   * Model A's shape (4 layers, 4 heads, 128 wide, context 64), with each key and value head shared
   * by two query heads, as llama2.c's smallest model (8 heads, 4 kv heads).
   */
  public static LlamaConfig small(int vocabSize) {
    return of(vocabSize, 64, 4, 4, 2, 128);
  }

  /** Model B's shape (6 layers, 6 heads, 384 wide, context 256), with 3 kv heads. */
  public static LlamaConfig medium(int vocabSize) {
    return of(vocabSize, 256, 6, 6, 3, 384);
  }

  /**
   * llama2.c's 110M model, the size of GPT-2 small: 12 layers, 12 heads (no sharing), 768 wide,
   * context 1024, tied embeddings.
   */
  public static LlamaConfig base(int vocabSize) {
    return of(vocabSize, 1024, 12, 12, 12, 768);
  }

  private static LlamaConfig of(
      int vocabSize, int blockSize, int layers, int heads, int kvHeads, int embeddingDim) {
    return new LlamaConfig(
        vocabSize,
        blockSize,
        layers,
        heads,
        kvHeads,
        embeddingDim,
        swiGluHiddenDim(embeddingDim),
        ROPE_THETA,
        true);
  }

  @Override
  public Architecture architecture() {
    return Architecture.LLAMA;
  }

  @Override
  public LlamaConfig withBlockSize(int blockSize) {
    return new LlamaConfig(
        vocabSize,
        blockSize,
        layers,
        heads,
        kvHeads,
        embeddingDim,
        hiddenDim,
        ropeTheta,
        tiedEmbeddings);
  }

  @Override
  public Llama newModel() {
    return new Llama(this);
  }

  /** Width of one attention head. */
  public int headDim() {
    return embeddingDim / heads;
  }

  @Override
  public long parameterCount() {
    long c = embeddingDim;
    long kv = (long) kvHeads * headDim();
    // per block: 2 RMSNorms (c each), query and output (c² each), key and value (c·kv each),
    // SwiGLU's gate, up and down (c·hiddenDim each)
    long perBlock = 2 * c + 2 * c * c + 2 * c * kv + 3 * c * hiddenDim;
    long count = (long) vocabSize * c + layers * perBlock + c;
    return tiedEmbeddings ? count : count + (long) vocabSize * c;
  }

  @Override
  public long flopsPerToken() {
    // no position embedding to leave out; grouped-query attention shares keys and values but
    // still scores every query head against T keys
    return 6 * parameterCount() + 12L * layers * embeddingDim * blockSize;
  }
}
