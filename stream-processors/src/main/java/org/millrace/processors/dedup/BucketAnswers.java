package org.millrace.processors.dedup;

import java.util.List;
import org.millrace.schemas.DedupAnswer;
import org.millrace.schemas.DedupLaterCopy;
import org.millrace.schemas.DedupPending;
import org.millrace.schemas.DuplicateKind;

/**
 * The answers of the bucket tasks, {@link DedupAnswer}s, and which of two names the better
 * original: for the answers of buckets and of race questions alike.
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

  /** The best original named so far in a document's pending state, as an answer. */
  static DedupAnswer best(DedupPending state) {
    return of(-1, 0, state.getKind(), state.getOriginalId(), state.getSimilarity());
  }

  /** Makes {@code candidate}'s original the pending state's, if it is better. */
  static void keepBetter(DedupPending state, DedupAnswer candidate) {
    if (isBetter(candidate, best(state))) {
      state.setKind(candidate.getKind());
      state.setOriginalId(candidate.getOriginalId());
      state.setSimilarity(candidate.getSimilarity());
    }
  }

  /** A later copy as an answer that names it as the original. */
  static DedupAnswer naming(DedupLaterCopy copy) {
    return of(-1, 0, copy.getKind(), copy.getDocumentId(), copy.getSimilarity());
  }

  /**
   * Adds {@code copies} to {@code into}, once per document: of two entries for one copy (its URL
   * bucket and its bands) the better kind and similarity.
   */
  static void addLaterCopies(List<DedupLaterCopy> into, List<DedupLaterCopy> copies) {
    for (DedupLaterCopy copy : copies) {
      int known = -1;
      for (int i = 0; i < into.size(); i++) {
        if (into.get(i).getDocumentId().equals(copy.getDocumentId())) {
          known = i;
        }
      }
      if (known < 0) {
        into.add(copy);
      } else if (isBetter(naming(copy), naming(into.get(known)))) {
        into.set(known, copy);
      }
    }
  }

  private static int rank(DuplicateKind kind) {
    return switch (kind) {
      case URL -> 0;
      case EXACT -> 1;
      case NEAR -> 2;
    };
  }
}
