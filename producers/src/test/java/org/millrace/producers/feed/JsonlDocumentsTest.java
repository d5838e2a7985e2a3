package org.millrace.producers.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.millrace.schemas.reject.RejectReason;

class JsonlDocumentsTest {

  private static CollectedRecords read(String jsonl, String textField) throws Exception {
    CollectedRecords records = new CollectedRecords(200);
    JsonlDocuments.read(
        new ByteArrayInputStream(jsonl.getBytes(StandardCharsets.UTF_8)),
        "file:c.jsonl",
        textField,
        records);
    return records;
  }

  @Test
  void brokenLinesAreRejectedOneByOneAndTheRestIsRead() throws Exception {
    CollectedRecords records =
        read(
            "{\"text\": \"one\", \"url\": \"https://a.example/\"}\r\n"
                + "{\"text\": \"two\"\n"
                + "\n"
                + "{\"text\": \""
                + "x".repeat(300)
                + "\"}\n"
                + "not json at all\n"
                + "{\"text\": \"three\", \"lang\": \"en\"}", // no final newline
            "text");

    assertThat(records.documents)
        .extracting(d -> StandardCharsets.UTF_8.decode(d.getBody()).toString())
        .containsExactly("one", "three");
    assertThat(records.documents.get(1).getSource()).isEqualTo("file:c.jsonl:6");
    assertThat(records.documents.get(1).getMetadata()).containsEntry("lang", "en");
    assertThat(records.rejected)
        .extracting(CollectedRecords.Rejected::source, CollectedRecords.Rejected::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("file:c.jsonl:2", RejectReason.MALFORMED_JSON),
            org.assertj.core.groups.Tuple.tuple("file:c.jsonl:4", RejectReason.TOO_LARGE),
            org.assertj.core.groups.Tuple.tuple("file:c.jsonl:5", RejectReason.MALFORMED_JSON));
  }

  @Test
  void theTextFieldIsConfigurableAndTheOtherFieldsAreMetadata() throws Exception {
    CollectedRecords records =
        read(
            "{\"content\": \"def f(): pass\", \"text\": \"a summary\", \"repo\": \"x/y\"}\n"
                + "{\"text\": \"no content field\"}\n",
            "content");

    assertThat(records.documents)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(StandardCharsets.UTF_8.decode(d.getBody()).toString())
                  .isEqualTo("def f(): pass");
              assertThat(d.getMetadata())
                  .containsEntry("text", "a summary")
                  .containsEntry("repo", "x/y")
                  .doesNotContainKey("content");
            });
    assertThat(records.rejected)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.reason()).isEqualTo(RejectReason.NOT_A_DOCUMENT);
              assertThat(r.detail()).contains("'content'");
            });
  }

  @Test
  void aLineLongerThanTheReadBufferIsOneLine() throws Exception {
    String longLine = "{\"text\": \"" + "y".repeat(150_000) + "\"}";
    CollectedRecords records = read(longLine + "\n{\"text\": \"after\"}\n", "text");

    assertThat(records.rejected)
        .singleElement()
        .satisfies(r -> assertThat(r.size()).isEqualTo(longLine.length()));
    assertThat(records.documents)
        .singleElement()
        .satisfies(d -> assertThat(d.getSource()).isEqualTo("file:c.jsonl:2"));
  }
}
