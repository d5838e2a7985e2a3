package org.millrace.processors.dedup;

import java.util.ArrayList;
import java.util.List;
import org.millrace.schemas.DuplicateKind;

/**
 * What one document asks the bucket tasks, in one record however many buckets it names: "has a copy
 * of me been in these buckets?". A document asks twice (docs/dedup.md): first its content hash
 * alone, then, only if it is the first of its text, its normalised URL and its LSH bands.
 *
 * @param documentId the asking document
 * @param askerPartition the partition of docs.clean the document came from, where its answers go
 * @param contentHash the text's {@link ContentHash}, on the first question; null on the second
 * @param urlKey the normalised URL, on the second question with URL dedup on; otherwise null
 * @param signature the MinHash signature, on the second question with near dedup on and words in
 *     the text; otherwise null
 */
record BucketQuestion(
    String documentId, int askerPartition, String contentHash, String urlKey, int[] signature) {

  /** A bucket named by a question: its key in the bucket store and the kind of copy it finds. */
  record Bucket(String key, DuplicateKind kind) {}

  /** The buckets this question asks, in a fixed order: content hash, URL, bands. */
  List<Bucket> buckets(LshBands lsh) {
    List<Bucket> buckets = new ArrayList<>();
    if (contentHash != null) {
      buckets.add(new Bucket("x:" + contentHash, DuplicateKind.EXACT));
    }
    if (urlKey != null) {
      buckets.add(new Bucket("u:" + urlKey, DuplicateKind.URL));
    }
    if (signature != null) {
      for (int band = 0; band < lsh.bands(); band++) {
        buckets.add(new Bucket(lsh.bucket(signature, band), DuplicateKind.NEAR));
      }
    }
    return buckets;
  }
}
