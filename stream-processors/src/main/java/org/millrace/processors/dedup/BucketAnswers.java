package org.millrace.processors.dedup;

import org.millrace.schemas.DedupAnswer;
import org.millrace.schemas.DuplicateKind;

/**
 * The answers of the bucket tasks, {@link DedupAnswer}s, and which of two names the better
 * original.
 */
final class BucketAnswers {

  private BucketAnswers() {}

  /** An answer for {@code answered} buckets, none of which holds an original of the document. */
  static DedupAnswer none(int askerPartition, int answered) {
    return of(askerPartition, answered, null, null, 0.0);
  }

  static DedupAnswer of(
      int askerPartition, int answered, DuplicateKind kind, String originalId, double similarity) {
    return DedupAnswer.newBuilder()
        .setAskerPartition(askerPartition)
        .setAnswered(answered)
        .setKind(kind)
        .setOriginalId(originalId)
        .setSimilarity(similarity)
        .build();
  }

  /**
   * Whether {@code answer}'s original is better than {@code other}'s: URL before exact before near;
   * between near ones the higher similarity, then the smaller id. Answers arrive in an order that
   * depends on timing; the verdict must not.
   */
  static boolean isBetter(DedupAnswer answer, DedupAnswer other) {
    if (answer.getOriginalId() == null) {
      return false;
    }
    if (other == null || other.getOriginalId() == null) {
      return true;
    }
    int byKind = Integer.compare(rank(answer.getKind()), rank(other.getKind()));
    if (byKind != 0) {
      return byKind < 0;
    }
    int bySimilarity = Double.compare(answer.getSimilarity(), other.getSimilarity());
    if (bySimilarity != 0) {
      return bySimilarity > 0;
    }
    return answer.getOriginalId().compareTo(other.getOriginalId()) < 0;
  }

  private static int rank(DuplicateKind kind) {
    return switch (kind) {
      case URL -> 0;
      case EXACT -> 1;
      case NEAR -> 2;
    };
  }
}
