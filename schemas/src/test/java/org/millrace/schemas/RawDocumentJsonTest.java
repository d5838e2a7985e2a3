package org.millrace.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.millrace.schemas.reject.DocumentRejectedException;
import org.millrace.schemas.reject.RejectReason;

class RawDocumentJsonTest {

  @Test
  void aTextObjectKeepsItsUrlAndIdAndTheOtherFieldsAsMetadata() throws Exception {
    RawDocument document =
        RawDocumentJson.parse(
            "{\"id\": 17, \"url\": \"https://example.org/\", \"text\": \"Hello.\", \"lang\":"
                + " \"en\", \"score\": 0.5, \"tags\": [\"a\"]}",
            "fallback",
            "file:/c.jsonl:3");

    assertThat(document.getId()).isEqualTo("17");
    assertThat(document.getUrl()).isEqualTo("https://example.org/");
    assertThat(document.getSource()).isEqualTo("file:/c.jsonl:3");
    assertThat(document.getContentType()).isEqualTo("text/plain; charset=UTF-8");
    assertThat(StandardCharsets.UTF_8.decode(document.getBody()).toString()).isEqualTo("Hello.");
    assertThat(document.getMetadata())
        .containsOnlyKeys("lang", "score", "tags")
        .containsEntry("lang", "en")
        .containsEntry("score", "0.5")
        .containsEntry("tags", "[\"a\"]");
  }

  @Test
  void anHtmlObjectIsHtmlAndTakesTheDefaultIdWithoutOne() throws Exception {
    RawDocument document =
        RawDocumentJson.parse("{\"html\": \"<p>hi</p>\", \"text\": \"ignored\"}", "fallback", "s");

    assertThat(document.getId()).isEqualTo("fallback");
    assertThat(document.getContentType()).startsWith("text/html");
    assertThat(StandardCharsets.UTF_8.decode(document.getBody()).toString()).isEqualTo("<p>hi</p>");
  }

  @Test
  void whatIsNotADocumentIsRejectedWithTheReason() {
    assertRejected("{\"text\": \"x\"", RejectReason.MALFORMED_JSON, "line 1");
    assertRejected("{\"text\": \"x\"} {}", RejectReason.MALFORMED_JSON, "malformed JSON");
    assertRejected("[1, 2]", RejectReason.NOT_A_DOCUMENT, "must be an object, got array");
    assertRejected("{\"text\": null}", RejectReason.NOT_A_DOCUMENT, "'text' field of type null");
    assertRejected("{\"body\": \"x\"}", RejectReason.NOT_A_DOCUMENT, "has neither");
  }

  @Test
  void anObjectThatCouldMeanTwoThingsIsRefused() {
    assertRejected(
        "{\"text\": \"a\", \"text\": \"b\"}",
        RejectReason.MALFORMED_JSON,
        "Duplicate field 'text'");
    assertRejected(
        "{\"text\": \"half \\ud800 a pair\"}",
        RejectReason.MALFORMED_JSON,
        "unpaired surrogate \\uD800 at character 5");
    assertRejected(
        "{\"text\": \"x\", \"note\": \"\\udc00\"}",
        RejectReason.MALFORMED_JSON,
        "the 'note' field holds an unpaired surrogate");
    assertRejected(
        "{\"url\": 7, \"text\": \"x\"}",
        RejectReason.NOT_A_DOCUMENT,
        "'url' field must be a string, not a number");
    assertRejected(
        "{\"text\": \"x\", \"m\": " + "[".repeat(5000) + "]".repeat(5000) + "}",
        RejectReason.MALFORMED_JSON,
        "nesting depth");
  }

  @Test
  void aWholeSurrogatePairIsACharacterLikeAnyOther() throws Exception {
    RawDocument document =
        RawDocumentJson.parse("{\"text\": \"a \\ud83d\\ude00 smile\"}", "d", "s");

    assertThat(StandardCharsets.UTF_8.decode(document.getBody()).toString())
        .isEqualTo("a \ud83d\ude00 smile");
  }

  /** Parsing the JSON is refused for the reason, with a detail that contains detail. */
  private static void assertRejected(String json, RejectReason reason, String detail) {
    assertThatThrownBy(() -> RawDocumentJson.parse(json, "d", "s"))
        .isInstanceOfSatisfying(
            DocumentRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.detail()).contains(detail);
            });
  }
}
