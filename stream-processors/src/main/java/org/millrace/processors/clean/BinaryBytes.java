package org.millrace.processors.clean;

/**
 * Tells binary data from text by its first kilobyte: a NUL byte, or more than one byte in ten a
 * control byte other than tab, line feed, form feed and carriage return. Text in any ASCII-based
 * charset passes; UTF-16 and UTF-32 do not (they are full of NULs), so callers that accept those
 * must ask first.
 */
final class BinaryBytes {

  /** Share of control bytes in a payload's first kilobyte above which it is binary, not text. */
  private static final double BINARY_CONTROL_SHARE = 0.10;

  private static final int SAMPLE_BYTES = 1024;

  private BinaryBytes() {}

  static boolean looksBinary(byte[] value) {
    int sample = Math.min(value.length, SAMPLE_BYTES);
    int control = 0;
    for (int i = 0; i < sample; i++) {
      int b = value[i] & 0xFF;
      if (b == 0) {
        return true;
      }
      if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f') {
        control++;
      }
    }
    return control > sample * BINARY_CONTROL_SHARE;
  }

  /** The first bytes in hexadecimal, for a rejection's detail. */
  static String firstBytes(byte[] value) {
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < Math.min(8, value.length); i++) {
      hex.append(String.format("%02X ", value[i] & 0xFF));
    }
    return hex.toString().strip();
  }
}
