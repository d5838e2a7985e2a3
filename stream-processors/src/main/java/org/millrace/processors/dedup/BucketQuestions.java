package org.millrace.processors.dedup;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.DedupProbe;
import org.millrace.schemas.DuplicateKind;

/**
 * The buckets a document asks "has a copy of me been here?": its normalised URL (when URL dedup is
 * on and it has one), its content hash, and one LSH bucket per band of its MinHash signature (when
 * near dedup is on and it has words). Each question is keyed by its bucket, so that every document
 * that asks one bucket meets in the same task.
 */
final class BucketQuestions {

  private final DedupSettings settings;
  private final MinHash minHash;

  BucketQuestions(DedupSettings settings) {
    this.settings = settings;
    this.minHash = new MinHash(settings.lsh().signatureSize());
  }

  /** How many answers the document waits for: the number of questions {@link #of} asks. */
  int count(CleanDocument document) {
    int count = 1; // the content hash
    if (settings.urls() && UrlKey.of(document.getUrl()).isPresent()) {
      count++;
    }
    if (settings.near() && hasWord(document.getText())) {
      count += settings.lsh().bands();
    }
    return count;
  }

  List<KeyValue<String, DedupProbe>> of(CleanDocument document) {
    String id = document.getId();
    List<KeyValue<String, DedupProbe>> questions = new ArrayList<>();
    if (settings.urls()) {
      UrlKey.of(document.getUrl())
          .ifPresent(
              url -> questions.add(KeyValue.pair("u:" + url, probe(id, DuplicateKind.URL, null))));
    }
    questions.add(
        KeyValue.pair(
            "x:" + ContentHash.of(document.getText()), probe(id, DuplicateKind.EXACT, null)));
    if (settings.near()) {
      int[] shingles = WordShingles.of(document.getText(), settings.shingleWords());
      if (shingles.length > 0) {
        int[] signature = minHash.signature(shingles);
        byte[] bytes = MinHash.toBytes(signature);
        for (int band = 0; band < settings.lsh().bands(); band++) {
          questions.add(
              KeyValue.pair(
                  settings.lsh().bucket(signature, band),
                  probe(id, DuplicateKind.NEAR, ByteBuffer.wrap(bytes))));
        }
      }
    }
    return questions;
  }

  private static DedupProbe probe(String id, DuplicateKind kind, ByteBuffer signature) {
    return DedupProbe.newBuilder().setDocumentId(id).setKind(kind).setSignature(signature).build();
  }

  /** Whether the text has a word, hence a shingle: exactly when {@link WordShingles} finds one. */
  private static boolean hasWord(String text) {
    return text.codePoints().anyMatch(Character::isLetterOrDigit);
  }
}
