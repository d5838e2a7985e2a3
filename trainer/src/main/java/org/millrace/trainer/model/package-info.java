/**
 * The model zoo as DJL blocks, one class per architectural piece, each model configured by one
 * record ({@link org.millrace.trainer.model.ModelConfig}):
 *
 * <ul>
 *   <li>GPT-2 ({@link org.millrace.trainer.model.Gpt}, {@link
 *       org.millrace.trainer.model.GptConfig}), in the order of nanoGPT's {@code model.py}: {@link
 *       org.millrace.trainer.model.SelfAttention}, {@link org.millrace.trainer.model.Mlp}, {@link
 *       org.millrace.trainer.model.TransformerBlock};
 *   <li>Llama ({@link org.millrace.trainer.model.Llama}, {@link
 *       org.millrace.trainer.model.LlamaConfig}), in the order of Meta's {@code model.py}: {@link
 *       org.millrace.trainer.model.RmsNorm}, {@link org.millrace.trainer.model.RotaryEmbedding},
 *       {@link org.millrace.trainer.model.GroupedQueryAttention}, {@link
 *       org.millrace.trainer.model.SwiGlu}, {@link org.millrace.trainer.model.LlamaBlock};
 *   <li>a BERT-style encoder ({@link org.millrace.trainer.model.Encoder}, {@link
 *       org.millrace.trainer.model.EncoderConfig}), GPT-2's blocks without the causal mask;
 *   <li>a hybrid in the style of Falcon-H1 ({@link org.millrace.trainer.model.Hybrid}, {@link
 *       org.millrace.trainer.model.HybridConfig}): {@link org.millrace.trainer.model.HybridBlock}s
 *       running Llama's attention beside a Mamba-2 mixer ({@link
 *       org.millrace.trainer.model.mamba.Mamba2Mixer}, its pieces in {@code model.mamba}).
 * </ul>
 *
 * <p>Every model is a {@link org.millrace.trainer.model.LanguageModel}: token embedding, a stack of
 * {@link org.millrace.trainer.model.ResidualBlock}s, final norm, LM head; the models differ in
 * their block and in how positions enter (learned embeddings, or {@link
 * org.millrace.trainer.model.RotaryDecoder}'s rotations). The decoders (GPT, Llama, the hybrid)
 * generate one token at a time from a KV cache, and for the hybrid an SSM state, as {@link
 * org.millrace.trainer.model.IncrementalDecoder}s.
 *
 * <p>The decoders learn {@link org.millrace.trainer.model.NextTokenPrediction}, the encoder {@link
 * org.millrace.trainer.model.MaskedLanguageModelling}; both losses are {@link
 * org.millrace.trainer.model.CrossEntropy}.
 */
package org.millrace.trainer.model;
