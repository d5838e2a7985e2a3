package org.millrace.trainer.model;

import static org.millrace.trainer.model.ConfigChecks.requireDivisible;
import static org.millrace.trainer.model.ConfigChecks.requirePositive;
import static org.millrace.trainer.model.ConfigChecks.requireRotary;
import static org.millrace.trainer.model.ConfigChecks.requireStack;

import org.millrace.trainer.model.mamba.Mamba2Settings;

/**
 * Every hyper-parameter of a {@link Hybrid}, named once. The residual stream of {@code
 * embeddingDim} channels is read by attention of {@code attentionHeads · attentionHeadDim} channels
 * and by a Mamba-2 mixer of {@code ssmHeads · ssmHeadDim} channels side by side, which is how the
 * channels are split between the two (Falcon-H1: attention and SSM widths are chosen apart from the
 * model's width). RMSNorm's epsilon is 1e-5, dropout 0.
 *
 * @param vocabSize number of token ids; ids run from 0 to {@code vocabSize - 1}
 * @param blockSize context length: the most positions one sequence may have
 * @param layers number of {@link HybridBlock}s
 * @param embeddingDim width of the residual stream
 * @param attentionHeads query heads of the attention
 * @param kvHeads key and value heads ({@link GroupedQueryAttention}); must divide {@code
 *     attentionHeads}
 * @param attentionHeadDim channels per attention head, even (rotary embeddings)
 * @param ssmHeads heads of the Mamba-2 mixer, H
 * @param ssmHeadDim channels per SSM head, P
 * @param ssmGroups groups of SSM heads that share B and C, G; must divide {@code ssmHeads}
 * @param ssmStateDim state per SSM channel, N
 * @param convKernel taps of the mixer's causal convolution: 4 as in Mamba-2
 * @param chunkSize positions per chunk of the SSD scan (cost only, not the function)
 * @param hiddenDim width of the {@link SwiGlu} feed-forward network
 * @param ropeTheta base of the rotary frequencies ({@link RotaryEmbedding})
 * @param tiedEmbeddings whether the LM head reuses the token embedding matrix
 */
public record HybridConfig(
    int vocabSize,
    int blockSize,
    int layers,
    int embeddingDim,
    int attentionHeads,
    int kvHeads,
    int attentionHeadDim,
    int ssmHeads,
    int ssmHeadDim,
    int ssmGroups,
    int ssmStateDim,
    int convKernel,
    int chunkSize,
    int hiddenDim,
    double ropeTheta,
    boolean tiedEmbeddings)
    implements ModelConfig {

  /** Validates the sizes, so that a bad configuration fails here rather than inside PyTorch. */
  public HybridConfig {
    requireStack(vocabSize, blockSize, layers, embeddingDim);
    requirePositive("attentionHeads", attentionHeads);
    requirePositive("kvHeads", kvHeads);
    requirePositive("attentionHeadDim", attentionHeadDim);
    requirePositive("ssmHeads", ssmHeads);
    requirePositive("ssmHeadDim", ssmHeadDim);
    requirePositive("ssmGroups", ssmGroups);
    requirePositive("ssmStateDim", ssmStateDim);
    requirePositive("convKernel", convKernel);
    requirePositive("chunkSize", chunkSize);
    requirePositive("hiddenDim", hiddenDim);
    requireDivisible("attentionHeads", attentionHeads, "kvHeads", kvHeads);
    requireDivisible("ssmHeads", ssmHeads, "ssmGroups", ssmGroups);
    requireRotary(attentionHeadDim, ropeTheta);
  }

  /**
   * 2 layers, 64 wide, context 64: attention of 2 heads of 16 (one kv head), SSM of 2 heads of 32
   * with a state of 16, feed-forward 168: the parameters of {@link LlamaConfig#tiny} within 0.3%.
   */
  public static HybridConfig tiny(int vocabSize) {
    return new HybridConfig(
        vocabSize, 64, 2, 64, 2, 1, 16, 2, 32, 1, 16, 4, 16, 168, LlamaConfig.ROPE_THETA, true);
  }

  /**
   * Model A's shape (4 layers, 128 wide, context 64): attention of 2 heads of 32 (one kv head), SSM
   * of 4 heads of 32 with a state of 32, feed-forward 264: the parameters of {@link
   * LlamaConfig#small} within 0.3%, for comparisons at equal size.
   */
  public static HybridConfig small(int vocabSize) {
    return new HybridConfig(
        vocabSize, 64, 4, 128, 2, 1, 32, 4, 32, 1, 32, 4, 16, 264, LlamaConfig.ROPE_THETA, true);
  }

  /**
   * Model B's shape (6 layers, 384 wide, context 256): attention of 3 heads of 64 (one kv head),
   * SSM of 6 heads of 64 with a state of 64, feed-forward 808: {@link LlamaConfig#medium}'s
   * parameters within 0.2%.
   */
  public static HybridConfig medium(int vocabSize) {
    return new HybridConfig(
        vocabSize, 256, 6, 384, 3, 1, 64, 6, 64, 1, 64, 4, 64, 808, LlamaConfig.ROPE_THETA, true);
  }

  /**
   * 12 layers, 768 wide, context 1024, about 110M parameters with a 32,000-token vocabulary:
   * attention of 6 heads of 64 (2 kv heads), SSM of 12 heads of 64 with a state of 128 (the
   * reference Mamba2 module's default d_state), feed-forward 1872: {@link LlamaConfig#base}'s
   * parameters within 0.1%.
   */
  public static HybridConfig base(int vocabSize) {
    return new HybridConfig(
        vocabSize,
        1024,
        12,
        768,
        6,
        2,
        64,
        12,
        64,
        1,
        128,
        4,
        64,
        1872,
        LlamaConfig.ROPE_THETA,
        true);
  }

  @Override
  public Architecture architecture() {
    return Architecture.HYBRID;
  }

  @Override
  public HybridConfig withBlockSize(int blockSize) {
    return new HybridConfig(
        vocabSize,
        blockSize,
        layers,
        embeddingDim,
        attentionHeads,
        kvHeads,
        attentionHeadDim,
        ssmHeads,
        ssmHeadDim,
        ssmGroups,
        ssmStateDim,
        convKernel,
        chunkSize,
        hiddenDim,
        ropeTheta,
        tiedEmbeddings);
  }

  @Override
  public Hybrid newModel() {
    return new Hybrid(this);
  }

  /** The sizes of each block's Mamba-2 mixer. */
  public Mamba2Settings mamba() {
    return new Mamba2Settings(
        embeddingDim,
        ssmHeads,
        ssmHeadDim,
        ssmGroups,
        ssmStateDim,
        convKernel,
        chunkSize,
        GptInitialisation.residualStd(layers));
  }

  /** Channels of the attention: its query heads times their width. */
  public int attentionDim() {
    return attentionHeads * attentionHeadDim;
  }

  @Override
  public long parameterCount() {
    long c = embeddingDim;
    long kv = (long) kvHeads * attentionHeadDim;
    // per block: 2 RMSNorms, query and output (c·attentionDim each), key and value (c·kv each),
    // the mixer, SwiGLU's three matrices
    long perBlock =
        2 * c + 2 * c * attentionDim() + 2 * c * kv + mamba().parameterCount() + 3 * c * hiddenDim;
    long count = (long) vocabSize * c + layers * perBlock + c;
    return tiedEmbeddings ? count : count + (long) vocabSize * c;
  }

  /**
   * 6N, plus attention's scores as for the other decoders ({@code 12·layers·attentionDim·
   * blockSize}), plus the SSD scan's products per position and head, forward and backward: {@code
   * 6·chunk·(N + P)} within the chunk and {@code 12·P·N} for the chunk's state in and out.
   */
  @Override
  public long flopsPerToken() {
    long scan = 6L * chunkSize * (ssmStateDim + ssmHeadDim) + 12L * ssmHeadDim * ssmStateDim;
    return 6 * parameterCount()
        + 12L * layers * attentionDim() * blockSize
        + (long) layers * ssmHeads * scan;
  }
}
