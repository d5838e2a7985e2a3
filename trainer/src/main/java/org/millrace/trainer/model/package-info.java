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
 *       org.millrace.trainer.model.EncoderConfig}), GPT-2's blocks without the causal mask.
 * </ul>
 *
 * <p>The decoders learn {@link org.millrace.trainer.model.NextTokenPrediction}, the encoder {@link
 * org.millrace.trainer.model.MaskedLanguageModelling}; both losses are {@link
 * org.millrace.trainer.model.CrossEntropy}.
 */
package org.millrace.trainer.model;
