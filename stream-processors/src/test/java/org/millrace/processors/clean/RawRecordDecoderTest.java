package org.millrace.processors.clean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.millrace.processors.TopologyDrivers.utf8;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.reject.DocumentRejectedException;
import org.millrace.schemas.reject.Origin;
import org.millrace.schemas.reject.RejectReason;

class RawRecordDecoderTest {

  private static final Origin ORIGIN = new Origin("docs.raw", 2, 41);

  private final RawRecordDecoder decoder = new RawRecordDecoder(1000);

  @Test
  void readsAnAvroRawDocument() throws Exception {
    RawDocument document =
        RawDocument.newBuilder()
            .setId("a")
            .setSource("s")
            .setContentType("text/plain")
            .setBody(ByteBuffer.wrap(utf8("hello")))
            .setMetadata(Map.of("k", "v"))
            .build();

    assertThat(decoder.decode(null, AvroSerde.rawDocument().encode(document), ORIGIN))
        .isEqualTo(document);
  }

  @Test
  void readsAJsonTextObjectWithItsUrlAndOtherFieldsAsMetadata() throws Exception {
    RawDocument document =
        decoder.decode(
            null,
            utf8(
                "{\"url\": \"https://example.org/\", \"text\": \"Hello, world.\", \"lang\": \"en\","
                    + " \"score\": 0.5}"),
            ORIGIN);

    assertThat(document.getId()).isEqualTo("docs.raw/2/41");
    assertThat(document.getUrl()).isEqualTo("https://example.org/");
    assertThat(document.getContentType()).startsWith("text/plain");
    assertThat(document.getMetadata())
        .containsEntry("lang", "en")
        .containsEntry("score", "0.5")
        .doesNotContainKey("text");
    assertThat(utf8String(document.getBody())).isEqualTo("Hello, world.");
  }

  @Test
  void readsAJsonHtmlObjectAndTakesItsIdFromTheIdFieldOrTheKey() throws Exception {
    assertThat(decoder.decode(utf8("key-7"), utf8("{\"html\": \"<p>hi</p>\"}"), ORIGIN).getId())
        .isEqualTo("key-7");
    RawDocument withId =
        decoder.decode(
            utf8("key-7"), utf8("\uFEFF {\"id\": \"doc-9\", \"html\": \"<p>hi</p>\"}"), ORIGIN);

    assertThat(withId.getId()).isEqualTo("doc-9");
    assertThat(withId.getContentType()).startsWith("text/html");
  }

  @Test
  void refusesAnEmptyPayload() {
    assertRejected(null, RejectReason.EMPTY_PAYLOAD, "no value");
    assertRejected(new byte[0], RejectReason.EMPTY_PAYLOAD, "no value");
  }

  @Test
  void refusesAPayloadAboveTheMaximumBeforeReadingIt() {
    byte[] big = utf8("{\"text\": \"" + "x".repeat(1000) + "\"}");

    assertRejected(big, RejectReason.TOO_LARGE, "1012 bytes exceeds documents.max.bytes = 1000");
  }

  @Test
  void refusesMalformedJson() {
    assertRejected(
        utf8("{\"text\": \"unterminated"), RejectReason.MALFORMED_JSON, "malformed JSON");
    assertRejected(
        utf8("{\"text\": \"a\"} trailing"), RejectReason.MALFORMED_JSON, "malformed JSON");
  }

  @Test
  void refusesJsonThatIsNotADocument() {
    assertRejected(utf8("{\"title\": \"no body\"}"), RejectReason.NOT_A_DOCUMENT, "has neither");
    assertRejected(
        utf8("{\"text\": 42}"), RejectReason.NOT_A_DOCUMENT, "'text' field of type number");
    assertRejected(utf8("[\"text\"]"), RejectReason.NOT_A_DOCUMENT, "starts with \"[");
    assertRejected(utf8("just some plain text"), RejectReason.NOT_A_DOCUMENT, "JSON object");
  }

  @Test
  void refusesInvalidUtf8() {
    byte[] json = utf8("{\"text\": \"caf?\"}");
    json[12] = (byte) 0xE9; // Latin-1 é: not valid UTF-8 on its own

    assertRejected(json, RejectReason.INVALID_UTF8, "near offset 12");
  }

  @Test
  void refusesBinaryGarbage() {
    byte[] garbage = new byte[512];
    new Random(7).nextBytes(garbage);
    garbage[0] = 0x1F; // not the Avro marker, whatever the seed gives

    assertRejected(garbage, RejectReason.BINARY_PAYLOAD, "binary data");
  }

  @Test
  void refusesAvroThatIsNotARawDocument() {
    byte[] document =
        AvroSerde.rawDocument()
            .encode(
                RawDocument.newBuilder()
                    .setId("a")
                    .setSource("s")
                    .setContentType("text/plain")
                    .setBody(ByteBuffer.wrap(utf8("hello")))
                    .build());
    byte[] corrupt = Arrays.copyOf(document, 10);
    byte[] otherRecordType =
        AvroSerde.cleanDocument()
            .encode(
                org.millrace.schemas.CleanDocument.newBuilder()
                    .setId("a")
                    .setSource("s")
                    .setText("t")
                    .build());

    assertRejected(corrupt, RejectReason.MALFORMED_AVRO, "not a valid RawDocument");
    assertRejected(otherRecordType, RejectReason.MALFORMED_AVRO, "not a valid RawDocument");
  }

  /** The decoder refuses the payload, for the reason, with a detail that contains detail. */
  private void assertRejected(byte[] payload, RejectReason reason, String detail) {
    assertThatThrownBy(() -> decoder.decode(null, payload, ORIGIN))
        .isInstanceOfSatisfying(
            DocumentRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.detail()).contains(detail);
            });
  }

  private static String utf8String(ByteBuffer buffer) {
    return org.millrace.processors.TopologyDrivers.utf8(buffer);
  }
}
