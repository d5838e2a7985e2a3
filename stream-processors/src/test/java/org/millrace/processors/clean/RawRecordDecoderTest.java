package org.millrace.processors.clean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.millrace.processors.TopologyDrivers.utf8;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
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
    assertRejected(
        () -> decoder.decode(null, null, ORIGIN), RejectReason.EMPTY_PAYLOAD, "no value");
    assertRejected(
        () -> decoder.decode(null, new byte[0], ORIGIN), RejectReason.EMPTY_PAYLOAD, "no value");
  }

  @Test
  void refusesAPayloadAboveTheMaximumBeforeReadingIt() {
    byte[] big = utf8("{\"text\": \"" + "x".repeat(1000) + "\"}");

    assertRejected(
        () -> decoder.decode(null, big, ORIGIN),
        RejectReason.TOO_LARGE,
        "1012 bytes exceeds documents.max.bytes = 1000");
  }

  @Test
  void refusesMalformedJson() {
    assertRejected(
        () -> decoder.decode(null, utf8("{\"text\": \"unterminated"), ORIGIN),
        RejectReason.MALFORMED_JSON,
        "malformed JSON");
    assertRejected(
        () -> decoder.decode(null, utf8("{\"text\": \"a\"} trailing"), ORIGIN),
        RejectReason.MALFORMED_JSON,
        "malformed JSON");
  }

  @Test
  void refusesJsonThatIsNotADocument() {
    assertRejected(
        () -> decoder.decode(null, utf8("{\"title\": \"no body\"}"), ORIGIN),
        RejectReason.NOT_A_DOCUMENT,
        "has neither");
    assertRejected(
        () -> decoder.decode(null, utf8("{\"text\": 42}"), ORIGIN),
        RejectReason.NOT_A_DOCUMENT,
        "'text' field of type number");
    assertRejected(
        () -> decoder.decode(null, utf8("[\"text\"]"), ORIGIN),
        RejectReason.NOT_A_DOCUMENT,
        "starts with \"[");
    assertRejected(
        () -> decoder.decode(null, utf8("just some plain text"), ORIGIN),
        RejectReason.NOT_A_DOCUMENT,
        "JSON object");
  }

  @Test
  void refusesInvalidUtf8() {
    byte[] json = utf8("{\"text\": \"caf?\"}");
    json[12] = (byte) 0xE9; // Latin-1 é: not valid UTF-8 on its own

    assertRejected(
        () -> decoder.decode(null, json, ORIGIN), RejectReason.INVALID_UTF8, "near offset 12");
  }

  @Test
  void refusesBinaryGarbage() {
    byte[] garbage = new byte[512];
    new Random(7).nextBytes(garbage);
    garbage[0] = 0x1F; // not the Avro marker, whatever the seed gives

    assertRejected(
        () -> decoder.decode(null, garbage, ORIGIN), RejectReason.BINARY_PAYLOAD, "binary data");
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

    assertRejected(
        () -> decoder.decode(null, corrupt, ORIGIN),
        RejectReason.MALFORMED_AVRO,
        "not a valid RawDocument");
    assertRejected(
        () -> decoder.decode(null, otherRecordType, ORIGIN),
        RejectReason.MALFORMED_AVRO,
        "not a valid RawDocument");
  }

  private static void assertRejected(ThrowingCallable decode, RejectReason reason, String detail) {
    assertThatThrownBy(decode)
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
