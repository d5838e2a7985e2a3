/**
 * Byte-level BPE, GPT-2 style, trained here and used through Hugging Face tokenizers.
 *
 * <p>{@link org.millrace.tokenizer.bpe.BpeTrainer} counts the words of streamed text ({@link
 * org.millrace.tokenizer.bpe.GptPreTokenizer}), learns merges over their bytes ({@link
 * org.millrace.tokenizer.bpe.ByteLevelAlphabet}) and gives a {@link
 * org.millrace.tokenizer.bpe.BpeModel}, whose {@code tokenizer.json} DJL's {@code
 * HuggingFaceTokenizer} and Python's {@code tokenizers} load to encode and decode.
 */
package org.millrace.tokenizer.bpe;
