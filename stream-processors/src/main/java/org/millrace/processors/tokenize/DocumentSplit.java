package org.millrace.processors.tokenize;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.millrace.schemas.Split;

/**
 * Assigns a document to the train or validation split from its id alone, so that the same document
 * lands in the same split on every run, on every instance, and after any restart.
 */
public final class DocumentSplit {

  private final double validationFraction;

  public DocumentSplit(double validationFraction) {
    if (validationFraction < 0 || validationFraction > 1) {
      throw new IllegalArgumentException(
          "validation fraction must be within [0, 1], got " + validationFraction);
    }
    this.validationFraction = validationFraction;
  }

  public Split of(String documentId) {
    return unitInterval(documentId) < validationFraction ? Split.VALIDATION : Split.TRAIN;
  }

  /** A uniform number in [0, 1) from the first 53 bits of the id's SHA-256. */
  static double unitInterval(String documentId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(documentId.getBytes(StandardCharsets.UTF_8));
      return (ByteBuffer.wrap(digest).getLong() >>> 11) * 0x1.0p-53;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
