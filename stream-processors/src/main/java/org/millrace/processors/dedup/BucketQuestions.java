package org.millrace.processors.dedup;

import org.millrace.schemas.CleanDocument;

/**
 * The two questions a document asks (docs/dedup.md). First its content hash: the one bucket that
 * decides between byte-identical texts, by arrival. Then, only if it is the first of its text, its
 * normalised URL (when URL dedup is on and it has one) and its LSH bands (when near dedup is on and
 * it has words): so that of a set of identical texts only the first ever joins a URL or LSH bucket,
 * and no copy of a text can be judged a near or URL copy of another copy of the same text.
 */
final class BucketQuestions {

  private final DedupSettings settings;
  private final MinHash minHash;

  BucketQuestions(DedupSettings settings) {
    this.settings = settings;
    this.minHash = new MinHash(settings.lsh().signatureSize());
  }

  LshBands lsh() {
    return settings.lsh();
  }

  BucketQuestion first(CleanDocument document, int askerPartition) {
    return new BucketQuestion(
        document.getId(), askerPartition, ContentHash.of(document.getText()), null, null);
  }

  /** The second question, or null when the document has no URL or LSH bucket to ask. */
  BucketQuestion second(CleanDocument document, int askerPartition) {
    String urlKey = settings.urls() ? UrlKey.of(document.getUrl()).orElse(null) : null;
    int[] signature = null;
    if (settings.near()) {
      int[] shingles = WordShingles.of(document.getText(), settings.shingleWords());
      if (shingles.length > 0) {
        signature = minHash.signature(shingles);
      }
    }
    if (urlKey == null && signature == null) {
      return null;
    }
    return new BucketQuestion(document.getId(), askerPartition, null, urlKey, signature);
  }
}
