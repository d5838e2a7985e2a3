/**
 * A GPT-2-style decoder as DJL blocks, one class per architectural piece in the order of nanoGPT's
 * {@code model.py}: {@link org.millrace.trainer.model.CausalSelfAttention}, {@link
 * org.millrace.trainer.model.Mlp}, {@link org.millrace.trainer.model.TransformerBlock}, then {@link
 * org.millrace.trainer.model.Gpt}, configured by one {@link org.millrace.trainer.model.GptConfig}.
 */
package org.millrace.trainer.model;
