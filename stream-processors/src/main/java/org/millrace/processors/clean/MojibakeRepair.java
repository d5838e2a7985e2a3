package org.millrace.processors.clean;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * Repairs the commonest mojibake: UTF-8 bytes that were decoded as Windows-1252 or Latin-1, so that
 * "é" reads "Ã©" and "’" reads "â€™". In the spirit of ftfy's {@code fix_encoding} (Speer, ftfy),
 * much narrower: only a run of characters that map back to bytes forming valid UTF-8 sequences is
 * re-decoded, and nothing else is touched.
 *
 * <p>A run is left alone when it could be real text: an accented letter followed only by closing
 * punctuation (French "CAFÉ »" with a no-break space, Italian "perché…”" both are valid UTF-8 once
 * mapped back to bytes). A run is repaired when it starts with "Ã" or "Â" (the marks of mojibake of
 * Latin-1 letters and symbols, which real text never follows with such a character), or holds a
 * character other than that punctuation ("Ð¿", "â€™"). Text mangled twice ("ÃƒÂ©") is repaired
 * twice.
 */
final class MojibakeRepair {

  /** Passes over the text: mojibake of mojibake is common, of that rare. */
  private static final int MAX_PASSES = 3;

  /** Windows-1252's byte for each character from U+0000 to U+FFFF, or -1. */
  private static final short[] BYTE_OF = bytesOfWindows1252AndLatin1();

  /**
   * Characters that follow a word in real text and are also UTF-8 continuation bytes once mapped
   * back: alone after an accented letter they are not evidence of mojibake.
   */
  private static final Set<Character> CLOSING_PUNCTUATION =
      Set.of(
          '\u2019', '\u201D', '\u201C', '\u2018', '\u2026', '\u2013', '\u2014', '\u00BB', '\u00AB',
          '\u203A', '\u2039', '\u00A0');

  private MojibakeRepair() {}

  static String repair(String text) {
    String repaired = text;
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      String next = repairOnce(repaired);
      if (next.equals(repaired)) {
        break;
      }
      repaired = next;
    }
    return repaired;
  }

  private static String repairOnce(String text) {
    StringBuilder out = null;
    int copiedUpTo = 0;
    int i = 0;
    while (i < text.length()) {
      int runEnd = endOfRun(text, i);
      if (runEnd == i) {
        i++;
        continue;
      }
      if (looksLikeMojibake(text, i, runEnd)) {
        String decoded = decodeUtf8(text, i, runEnd);
        if (decoded != null) {
          if (out == null) {
            out = new StringBuilder(text.length());
          }
          out.append(text, copiedUpTo, i).append(decoded);
          copiedUpTo = runEnd;
        }
      }
      i = runEnd;
    }
    if (out == null) {
      return text;
    }
    return out.append(text, copiedUpTo, text.length()).toString();
  }

  /** The end of the run of whole UTF-8 sequences (as mapped-back bytes) starting at {@code i}. */
  private static int endOfRun(String text, int start) {
    int i = start;
    while (true) {
      int length = sequenceLength(text, i);
      if (length == 0) {
        return i;
      }
      i += length;
    }
  }

  /** The length of a well-formed UTF-8 byte sequence (mapped back) at {@code i}, or 0. */
  private static int sequenceLength(String text, int i) {
    if (i >= text.length()) {
      return 0;
    }
    int lead = BYTE_OF[text.charAt(i)];
    int continuations;
    if (lead >= 0xC2 && lead <= 0xDF) {
      continuations = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      continuations = 2;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      continuations = 3;
    } else {
      return 0;
    }
    if (i + continuations >= text.length()) {
      return 0;
    }
    for (int k = 1; k <= continuations; k++) {
      int b = BYTE_OF[text.charAt(i + k)];
      if (b < 0x80 || b > 0xBF) {
        return 0;
      }
    }
    return continuations + 1;
  }

  private static boolean looksLikeMojibake(String text, int start, int end) {
    for (int i = start; i < end; ) {
      int lead = BYTE_OF[text.charAt(i)];
      if (lead == 0xC2 || lead == 0xC3) {
        return true;
      }
      int length = sequenceLength(text, i);
      for (int k = 1; k < length; k++) {
        if (!CLOSING_PUNCTUATION.contains(text.charAt(i + k))) {
          return true;
        }
      }
      i += length;
    }
    return false;
  }

  /** The run mapped back to bytes and decoded as UTF-8, or null when it is not valid UTF-8. */
  private static String decodeUtf8(String text, int start, int end) {
    byte[] bytes = new byte[end - start];
    for (int i = start; i < end; i++) {
      bytes[i - start] = (byte) BYTE_OF[text.charAt(i)];
    }
    CharsetDecoder strict =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer decoded = strict.decode(ByteBuffer.wrap(bytes));
      return decoded.toString();
    } catch (CharacterCodingException overlongOrSurrogate) {
      return null;
    }
  }

  private static short[] bytesOfWindows1252AndLatin1() {
    short[] byteOf = new short[Character.MAX_VALUE + 1];
    Arrays.fill(byteOf, (short) -1);
    for (int b = 0x80; b <= 0xFF; b++) {
      byteOf[b] = (short) b; // Latin-1: U+0080–U+00FF are the bytes 80–FF, C1 controls included
    }
    Charset windows1252 = Charset.forName("windows-1252");
    for (int b = 0x80; b <= 0x9F; b++) {
      String c = new String(new byte[] {(byte) b}, windows1252);
      if (c.length() == 1 && c.charAt(0) != '\uFFFD') {
        byteOf[c.charAt(0)] = (short) b;
      }
    }
    return byteOf;
  }
}
