package org.millrace.processors.dedup;

import org.millrace.schemas.DuplicateKind;

/**
 * One bucket task's answer to a {@link BucketQuestion}: for the buckets of the question that task
 * holds, the best original found, if any. Keyed by the asking document's id.
 *
 * @param askerPartition the partition of docs.clean the asking document came from
 * @param answered how many of the question's buckets this answer covers
 * @param kind the kind of the best original, or null when none of these buckets holds one
 * @param originalId the best original's id, or null
 * @param similarity 1.0 for URL and exact originals, the estimated Jaccard similarity for near ones
 */
record BucketAnswer(
    int askerPartition, int answered, DuplicateKind kind, String originalId, double similarity) {

  static BucketAnswer none(int askerPartition, int answered) {
    return new BucketAnswer(askerPartition, answered, null, null, 0.0);
  }

  /**
   * Whether this original is better than {@code other}'s: URL before exact before near; between
   * near ones the higher similarity, then the smaller id. Answers arrive in an order that depends
   * on timing; the verdict must not.
   */
  boolean isBetterThan(BucketAnswer other) {
    if (originalId == null) {
      return false;
    }
    if (other == null || other.originalId() == null) {
      return true;
    }
    int byKind = Integer.compare(rank(kind), rank(other.kind()));
    if (byKind != 0) {
      return byKind < 0;
    }
    int bySimilarity = Double.compare(similarity, other.similarity());
    if (bySimilarity != 0) {
      return bySimilarity > 0;
    }
    return originalId.compareTo(other.originalId()) < 0;
  }

  private static int rank(DuplicateKind kind) {
    return switch (kind) {
      case URL -> 0;
      case EXACT -> 1;
      case NEAR -> 2;
    };
  }
}
