package org.millrace.tokenizer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The simplest tokenizer that can represent every text: one id per UTF-8 byte (0-255), followed by
 * a few special tokens. Its vocabulary is tiny, so a small model learns it quickly; the price is
 * about four times more tokens per text than a BPE vocabulary.
 */
public final class ByteLevelTokenizer implements Tokenizer {

  public static final String END_OF_TEXT = "<|endoftext|>";
  public static final String PAD = "<|pad|>";
  public static final String MASK = "<|mask|>";

  private static final int BYTE_IDS = 256;

  private final List<String> specialTokens;
  private final String fingerprint;

  /** 256 byte ids, then {@code <|endoftext|>} (256), {@code <|pad|>} (257) and {@code <|mask|>} (258). */
  public ByteLevelTokenizer() {
    this(List.of(END_OF_TEXT, PAD, MASK));
  }

  /**
   * @param specialTokens appended after the 256 byte ids; must start with the end-of-text token
   */
  public ByteLevelTokenizer(List<String> specialTokens) {
    if (specialTokens.isEmpty() || !specialTokens.get(0).equals(END_OF_TEXT)) {
      throw new IllegalArgumentException(
          "the first special token must be " + END_OF_TEXT + ", got " + specialTokens);
    }
    this.specialTokens = List.copyOf(specialTokens);
    String definition = "millrace-byte-level-v1\n" + String.join("\n", this.specialTokens);
    this.fingerprint = Fingerprints.of(definition.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int vocabularySize() {
    return BYTE_IDS + specialTokens.size();
  }

  @Override
  public int endOfTextId() {
    return BYTE_IDS;
  }

  @Override
  public int[] encode(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int[] ids = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      ids[i] = bytes[i] & 0xFF;
    }
    return ids;
  }

  /**
   * Decodes the byte ids as UTF-8 and writes special tokens by name. Byte sequences that are not
   * valid UTF-8 (a model's sample can produce them) become U+FFFD.
   */
  @Override
  public String decode(int[] ids) {
    StringBuilder text = new StringBuilder();
    ByteBuffer pending = ByteBuffer.allocate(ids.length);
    for (int id : ids) {
      if (id < 0 || id >= vocabularySize()) {
        throw new IllegalArgumentException(
            "token id " + id + " is outside the vocabulary 0.." + (vocabularySize() - 1));
      }
      if (id < BYTE_IDS) {
        pending.put((byte) id);
      } else {
        flush(pending, text);
        text.append(specialTokens.get(id - BYTE_IDS));
      }
    }
    flush(pending, text);
    return text.toString();
  }

  private static void flush(ByteBuffer pending, StringBuilder text) {
    pending.flip();
    try {
      text.append(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE)
              .decode(pending));
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("cannot happen with REPLACE", e);
    }
    pending.clear();
  }

  @Override
  public java.util.OptionalInt specialTokenId(String token) {
    int index = specialTokens.indexOf(token);
    return index < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(BYTE_IDS + index);
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public String toString() {
    return "byte-level tokenizer (" + vocabularySize() + " ids, fingerprint " + fingerprint + ")";
  }
}
