package org.millrace.tokenizer;

/**
 * Turns text into token ids and back. The tokenize stage encodes with it; the trainer checks that
 * the tokens it reads were made by the same tokenizer (same {@link #fingerprint()}) and decodes
 * samples.
 */
public interface Tokenizer {

  /** Ids are 0 .. vocabularySize() - 1. */
  int vocabularySize();

  /** The id that separates documents in the token stream. */
  int endOfTextId();

  /** The id of a special token such as {@code <|mask|>}, if this tokenizer has it. */
  java.util.OptionalInt specialTokenId(String token);

  int[] encode(String text);

  /** Encodes several texts; tokenizers that can work on a batch at once override it. */
  default java.util.List<int[]> encodeAll(java.util.List<String> texts) {
    return texts.stream().map(this::encode).toList();
  }

  String decode(int[] ids);

  /**
   * Identifies this tokenizer exactly: two tokenizers with the same fingerprint give the same ids
   * for every text. Written into every token record.
   */
  String fingerprint();
}
