package org.millrace.processors.dedup;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.DedupQuestion;
import org.millrace.schemas.DuplicateKind;

/**
 * The two questions a document asks (docs/dedup.md), {@link DedupQuestion}s. First its content
 * hash: the one bucket that decides between byte-identical texts, by arrival. Then, only if it is
 * the first of its text, its normalised URL (when URL dedup is on and it has one) and its LSH bands
 * (when near dedup is on and it has words): so that of a set of identical texts only the first ever
 * joins a URL or LSH bucket, and no copy of a text can be judged a near or URL copy of another copy
 * of the same text.
 */
final class BucketQuestions {

  /** A bucket named by a question: its key in the bucket store and the kind of copy it finds. */
  record Bucket(String key, DuplicateKind kind) {}

  private final DedupSettings settings;
  private final MinHash minHash;

  BucketQuestions(DedupSettings settings) {
    this.settings = settings;
    this.minHash = new MinHash(settings.lsh().signatureSize());
  }

  LshBands lsh() {
    return settings.lsh();
  }

  DedupQuestion first(CleanDocument document, int askerPartition) {
    return DedupQuestion.newBuilder()
        .setDocumentId(document.getId())
        .setAskerPartition(askerPartition)
        .setContentHash(ContentHash.of(document.getText()))
        .build();
  }

  /** The second question, or null when the document has no URL or LSH bucket to ask. */
  DedupQuestion second(CleanDocument document, int askerPartition) {
    String urlKey = settings.urls() ? UrlKey.of(document.getUrl()).orElse(null) : null;
    ByteBuffer signature = null;
    if (settings.near()) {
      int[] shingles = WordShingles.of(document.getText(), settings.shingleWords());
      if (shingles.length > 0) {
        signature = ByteBuffer.wrap(MinHash.toBytes(minHash.signature(shingles)));
      }
    }
    if (urlKey == null && signature == null) {
      return null;
    }
    return DedupQuestion.newBuilder()
        .setDocumentId(document.getId())
        .setAskerPartition(askerPartition)
        .setUrlKey(urlKey)
        .setSignature(signature)
        .build();
  }

  /** The buckets a question asks, in a fixed order: content hash, URL, bands. */
  static List<Bucket> buckets(DedupQuestion question, LshBands lsh) {
    List<Bucket> buckets = new ArrayList<>();
    if (question.getContentHash() != null) {
      buckets.add(new Bucket("x:" + question.getContentHash(), DuplicateKind.EXACT));
    }
    if (question.getUrlKey() != null) {
      buckets.add(new Bucket("u:" + question.getUrlKey(), DuplicateKind.URL));
    }
    if (question.getSignature() != null) {
      int[] signature = MinHash.fromBytes(question.getSignature());
      for (int band = 0; band < lsh.bands(); band++) {
        buckets.add(new Bucket(lsh.bucket(signature, band), DuplicateKind.NEAR));
      }
    }
    return buckets;
  }
}
