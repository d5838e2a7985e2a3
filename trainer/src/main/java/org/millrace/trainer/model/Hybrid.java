package org.millrace.trainer.model;

/**
 * A hybrid attention and state-space decoder in the style of Falcon-H1 (TII 2025, "Falcon-H1: A
 * Family of Hybrid-Head Language Models"): Llama's token embedding, final {@link RmsNorm} and LM
 * head around {@link HybridBlock}s, each running rotary grouped-query attention and a Mamba-2 mixer
 * side by side, trained to predict the next token. Input (B, T) int64 token ids with T at most
 * {@link HybridConfig#blockSize()}; output (B, T, vocabSize) logits.
 *
 * <p>Parameters: {@code tokenEmbedding}, {@code blocks.<i>.inputNorm.weight}, {@code
 * blocks.<i>.attention.{query,key,value,proj}.weight}, {@code blocks.<i>.mixer.inProj.weight},
 * {@code blocks.<i>.mixer.conv.{weight,bias}}, {@code blocks.<i>.mixer.{dtBias,aLog,d}}, {@code
 * blocks.<i>.mixer.norm.weight}, {@code blocks.<i>.mixer.outProj.weight}, {@code
 * blocks.<i>.mlpNorm.weight}, {@code blocks.<i>.mlp.{gate,up,down}.weight}, {@code
 * finalNorm.weight}, and {@code lmHead.weight} when untied.
 *
 * <p>As an {@link IncrementalDecoder} it generates with a KV cache for the attention and, for each
 * mixer, a convolution window and an SSM state of fixed size.
 */
public final class Hybrid extends RotaryDecoder {

  /** Builds the model for {@code config}; call {@link #initializeParameters} before use. */
  public Hybrid(HybridConfig config) {
    super(
        config,
        () -> new HybridBlock(config),
        new RmsNorm(config.embeddingDim()),
        config.attentionHeadDim(),
        config.ropeTheta());
  }

  @Override
  HybridBlock block(int i) {
    return (HybridBlock) super.block(i);
  }
}
