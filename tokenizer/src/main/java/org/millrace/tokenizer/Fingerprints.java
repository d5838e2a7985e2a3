package org.millrace.tokenizer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A tokenizer's fingerprint: the first 16 hex digits of SHA-256 over its definition. */
final class Fingerprints {

  private Fingerprints() {}

  static String of(byte[] definition) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(definition))
          .substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
