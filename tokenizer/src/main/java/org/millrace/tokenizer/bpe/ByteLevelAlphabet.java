package org.millrace.tokenizer.bpe;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * GPT-2's reversible map from the 256 byte values to 256 printable Unicode characters, so that a
 * byte-level token can be written as a string in {@code tokenizer.json}: {@code bytes_to_unicode}
 * in openai/gpt-2's {@code src/encoder.py}, {@code bytes_char} in Hugging Face tokenizers' {@code
 * pre_tokenizers/byte_level.rs}.
 *
 * <p>The 188 bytes that are printable Latin-1 characters ({@code '!'..'~'}, {@code '¡'..'¬'},
 * {@code '®'..'ÿ'}) stand for themselves; the other 68 (controls, space, DEL, the C1 range, NBSP
 * and the soft hyphen) become U+0100, U+0101, ... in byte order. That is why GPT-2 vocabularies
 * write a space as "Ġ" (U+0120) and a newline as "Ċ" (U+010A).
 */
public final class ByteLevelAlphabet {

  private static final char[] CHAR_OF_BYTE = new char[256];
  private static final int[] BYTE_OF_CHAR = new int[256 + 68];

  static {
    Arrays.fill(BYTE_OF_CHAR, -1);
    int next = 256;
    for (int b = 0; b < 256; b++) {
      char c = isPrintableLatin1(b) ? (char) b : (char) next++;
      CHAR_OF_BYTE[b] = c;
      BYTE_OF_CHAR[c] = b;
    }
  }

  private ByteLevelAlphabet() {}

  private static boolean isPrintableLatin1(int b) {
    return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
  }

  /** The character that stands for byte {@code b} (0-255). */
  public static char charOf(int b) {
    return CHAR_OF_BYTE[b];
  }

  /** The byte that {@code c} stands for, or -1 if {@code c} is not one of the 256 characters. */
  public static int byteOf(char c) {
    return c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
  }

  /** Writes each byte as its character: the form tokens take in {@code tokenizer.json}. */
  public static String encode(byte[] bytes) {
    char[] chars = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      chars[i] = CHAR_OF_BYTE[bytes[i] & 0xFF];
    }
    return new String(chars);
  }

  /** The byte-level form of a text's UTF-8 bytes. */
  public static String encode(String text) {
    return encode(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The bytes a byte-level string stands for.
   *
   * @throws IllegalArgumentException if a character is not one of the 256
   */
  public static byte[] decode(String byteLevel) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(byteLevel.length());
    for (int i = 0; i < byteLevel.length(); i++) {
      int b = byteOf(byteLevel.charAt(i));
      if (b < 0) {
        throw new IllegalArgumentException(
            String.format(
                "U+%04X at index %d is not a byte-level character", (int) byteLevel.charAt(i), i));
      }
      bytes.write(b);
    }
    return bytes.toByteArray();
  }
}
