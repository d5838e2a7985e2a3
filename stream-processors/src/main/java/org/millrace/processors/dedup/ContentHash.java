package org.millrace.processors.dedup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The 128-bit fingerprint of a document's text that exact deduplication compares: the first 16
 * bytes of SHA-256 over the text with every run of whitespace made one space, so that copies that
 * differ only in line wrapping or indentation count as the same text. 128 bits make an accidental
 * collision negligible (about 2^-64 for 2^32 documents); SHA-256 makes a deliberate one
 * impractical.
 */
public final class ContentHash {

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private ContentHash() {}

  /** 32 lowercase hex digits. */
  public static String of(String text) {
    String normalized = WHITESPACE.matcher(text).replaceAll(" ").strip();
    byte[] digest = sha256().digest(normalized.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, 16);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
