package org.millrace.processors.clean;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.millrace.processors.Verdict;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.RejectedDocument;
import org.millrace.schemas.reject.Origin;

/** A document's id, from its "id" field or the record key, is at most 1,024 characters. */
class DocumentIdTest {

  private static final Origin ORIGIN = new Origin("docs.raw", 2, 41);
  private static final byte[] WITHOUT_ID =
      "{\"text\": \"A short document that names no id of its own.\"}"
          .getBytes(StandardCharsets.UTF_8);

  private final DocumentCleaner cleaner = new DocumentCleaner(1 << 20, 256, Duration.ofSeconds(60));

  @Test
  void aHugeRecordKeyIsRefusedAsAnIdUnderTheRecordsCoordinates() {
    byte[] key = "k".repeat(512 * 1024).getBytes(StandardCharsets.UTF_8);

    Verdict<CleanDocument> verdict = cleaner.judge(key, WITHOUT_ID, ORIGIN);

    RejectedDocument rejected = ((Verdict.Reject<CleanDocument>) verdict).rejected();
    assertThat(rejected.getReason()).isEqualTo("invalid_id");
    assertThat(rejected.getDetail()).contains("524288 characters");
    assertThat(rejected.getId()).isEqualTo(ORIGIN.coordinates());
  }

  @Test
  void anIdFieldIsAcceptedUpToTheLimitAndRefusedBeyond() {
    String longest = "i".repeat(DocumentId.MAX_LENGTH);

    Verdict<CleanDocument> atLimit = cleaner.judge(null, document(longest), ORIGIN);
    Verdict<CleanDocument> beyond = cleaner.judge(null, document(longest + "i"), ORIGIN);

    assertThat(((Verdict.Pass<CleanDocument>) atLimit).value().getId()).isEqualTo(longest);
    assertThat(((Verdict.Reject<CleanDocument>) beyond).rejected().getReason())
        .isEqualTo("invalid_id");
  }

  @Test
  void anOrdinaryKeyIsStillTheIdOfAJsonRecordWithoutOne() {
    Verdict<CleanDocument> verdict =
        cleaner.judge("doc-7".getBytes(StandardCharsets.UTF_8), WITHOUT_ID, ORIGIN);

    assertThat(((Verdict.Pass<CleanDocument>) verdict).value().getId()).isEqualTo("doc-7");
  }

  private static byte[] document(String id) {
    return ("{\"id\": \"" + id + "\", \"text\": \"A document with an id of its own.\"}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
