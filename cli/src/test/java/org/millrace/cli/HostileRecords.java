package org.millrace.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.RawDocument;

/**
 * Bad records for docs.raw, of every kind a careless or hostile sender produces, each with the
 * rejection reasons the clean stage may answer it with (docs/records.md). Every one of them must
 * give exactly one rejection and stop nothing.
 */
final class HostileRecords {

  /**
   * One bad record.
   *
   * @param kind what is wrong with it, for messages
   * @param key the record key (null for none)
   * @param value the record value (null for a tombstone)
   * @param headers the record headers
   * @param reasons the reason codes that answer it correctly
   */
  record Hostile(String kind, byte[] key, byte[] value, List<Header> headers, Set<String> reasons) {

    Hostile(String kind, byte[] value, String... reasons) {
      this(kind, utf8("bad-" + kind), value, List.of(), Set.of(reasons));
    }
  }

  private HostileRecords() {}

  /**
   * @param documentsMaxBytes the clean stage's {@code documents.max.bytes}
   * @param brokerLimitBytes the largest value the broker takes into docs.raw
   */
  static List<Hostile> all(int documentsMaxBytes, int brokerLimitBytes) {
    List<Hostile> all = new ArrayList<>();
    // bytes that are not UTF-8
    all.add(new Hostile("latin-1", latin1("{\"text\": \"caf\u00e9 au lait\"}"), "invalid_utf8"));
    all.add(
        new Hostile(
            "overlong-utf8",
            concat(utf8("{\"text\": \"a"), bytes(0xC0, 0xAF), utf8("b\"}")),
            "invalid_utf8"));
    all.add(
        new Hostile(
            "truncated-utf8-sequence",
            concat(utf8("{\"text\": \"euro "), bytes(0xE2, 0x82), utf8("\"}")),
            "invalid_utf8"));
    all.add(
        new Hostile(
            "encoded-surrogate-half",
            concat(utf8("{\"text\": \"half "), bytes(0xED, 0xA0, 0x80), utf8("\"}")),
            "invalid_utf8"));
    all.add(
        new Hostile(
            "escaped-surrogate-half",
            utf8("{\"text\": \"half \\ud800 of a pair\"}"),
            "malformed_json"));
    all.add(
        new Hostile(
            "escaped-low-surrogate-first",
            utf8("{\"text\": \"backwards \\udc00\\ud800\"}"),
            "malformed_json"));
    all.add(
        new Hostile(
            "nul-bytes",
            concat(utf8("{\"text\": \"a"), bytes(0, 0, 0), utf8("b\"}")),
            "binary_payload"));
    all.add(
        new Hostile(
            "utf-16le-with-bom",
            concat(bytes(0xFF, 0xFE), encoded("{\"text\": \"sixteen bits\"}", "UTF-16LE")),
            "binary_payload"));
    all.add(
        new Hostile(
            "utf-16be", encoded("{\"text\": \"sixteen bits\"}", "UTF-16BE"), "binary_payload"));
    all.add(
        new Hostile(
            "utf-32-with-bom",
            concat(bytes(0, 0, 0xFE, 0xFF), encoded("{\"text\": \"x\"}", "UTF-32BE")),
            "binary_payload"));
    all.add(
        new Hostile(
            "bom-then-bare-string",
            concat(bytes(0xEF, 0xBB, 0xBF), utf8("\"hello\"")),
            "not_a_document"));
    all.add(
        new Hostile(
            "two-boms",
            concat(bytes(0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF), utf8("{\"text\": \"twice\"}")),
            "not_a_document",
            "malformed_json"));
    Random random = new Random(16);
    byte[] garbage = new byte[4096];
    random.nextBytes(garbage);
    garbage[0] = 0x7F;
    all.add(new Hostile("random-bytes", garbage, "binary_payload", "invalid_utf8"));
    // empty and null
    all.add(new Hostile("empty-value", new byte[0], "empty_payload"));
    all.add(new Hostile("tombstone", null, "empty_payload"));
    all.add(new Hostile("whitespace-only", utf8(" \n\t\r\n "), "not_a_document"));
    // not JSON objects
    all.add(new Hostile("bare-number", utf8("42"), "not_a_document"));
    all.add(new Hostile("bare-string", utf8("\"just a string\""), "not_a_document"));
    all.add(new Hostile("bare-literal", utf8("null"), "not_a_document"));
    all.add(new Hostile("array", utf8("[{\"text\": \"in an array\"}]"), "not_a_document"));
    all.add(new Hostile("plain-text", utf8("Hello, I am not JSON."), "not_a_document"));
    // JSON objects that are not documents
    all.add(new Hostile("empty-object", utf8("{}"), "not_a_document"));
    all.add(new Hostile("text-is-a-number", utf8("{\"text\": 42}"), "not_a_document"));
    all.add(new Hostile("text-is-null", utf8("{\"text\": null}"), "not_a_document"));
    all.add(new Hostile("html-is-an-array", utf8("{\"html\": [\"<p>a</p>\"]}"), "not_a_document"));
    all.add(new Hostile("text-is-an-object", utf8("{\"text\": {\"a\": 1}}"), "not_a_document"));
    // broken JSON
    all.add(
        new Hostile("unclosed-string", utf8("{\"text\": \"no closing quote}"), "malformed_json"));
    all.add(
        new Hostile(
            "trailing-garbage", utf8("{\"text\": \"fine\"} and then some"), "malformed_json"));
    all.add(
        new Hostile(
            "duplicate-keys",
            utf8("{\"text\": \"the first\", \"text\": \"the second\"}"),
            "malformed_json"));
    all.add(
        new Hostile(
            "raw-control-character",
            concat(utf8("{\"text\": \"bell"), bytes(0x07), utf8("\"}")),
            "malformed_json"));
    all.add(
        new Hostile(
            "deeply-nested-json",
            utf8("{\"text\": \"deep\", \"m\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}"),
            "malformed_json"));
    // documents with nothing to train on
    all.add(
        new Hostile(
            "control-characters-only",
            utf8("{\"text\": \"\\u0001\\u0002\\u0003\\u0004\\u001b\"}"),
            "empty_text"));
    all.add(
        new Hostile(
            "html-100000-nested-elements",
            utf8("{\"html\": \"" + "<i>".repeat(100_000) + "</i>".repeat(100_000) + "\"}"),
            "empty_text",
            "extraction_timeout"));
    all.add(
        new Hostile(
            "html-script-only",
            utf8("{\"html\": \"<script>alert(1)</script><style>p{}</style>\"}"),
            "empty_text"));
    // sizes
    all.add(
        new Hostile(
            "enormous-string",
            utf8("{\"text\": \"" + "a".repeat(documentsMaxBytes) + "\"}"),
            "too_large"));
    all.add(
        new Hostile(
            "just-under-the-broker-limit",
            // the record batch around the value takes some bytes of the broker's limit
            utf8("{\"text\": \"" + "b".repeat(brokerLimitBytes - 1024) + "\"}"),
            "too_large"));
    // URLs
    all.add(
        new Hostile(
            "enormous-url",
            utf8(
                "{\"url\": \"https://example.org/"
                    + "a".repeat(100_000)
                    + "\", \"text\": \"A page with a long address.\"}"),
            "invalid_url"));
    all.add(new Hostile("javascript-url", urlDocument("javascript:alert(1)"), "invalid_url"));
    all.add(new Hostile("file-url", urlDocument("file:///etc/passwd"), "invalid_url"));
    all.add(new Hostile("data-url", urlDocument("data:text/html,<p>hi</p>"), "invalid_url"));
    all.add(new Hostile("ftp-url", urlDocument("ftp://example.org/file.txt"), "invalid_url"));
    all.add(new Hostile("relative-url", urlDocument("/just/a/path"), "invalid_url"));
    all.add(
        new Hostile(
            "url-is-a-number", utf8("{\"url\": 7, \"text\": \"x y z\"}"), "not_a_document"));
    // Avro
    byte[] avro = AvroSerde.rawDocument().encode(rawDocument("text/plain; charset=UTF-8", "avro"));
    byte[] unknown = avro.clone();
    for (int i = 2; i < 10; i++) {
      unknown[i] = (byte) (unknown[i] ^ 0x5A);
    }
    all.add(new Hostile("avro-unknown-fingerprint", unknown, "malformed_avro"));
    all.add(new Hostile("avro-truncated", Arrays.copyOf(avro, avro.length / 2), "malformed_avro"));
    all.add(new Hostile("avro-marker-only", bytes(0xC3, 0x01), "malformed_avro"));
    all.add(
        new Hostile(
            "avro-image",
            AvroSerde.rawDocument().encode(rawDocument("image/png", "\u0089PNG")),
            "unsupported_content_type"));
    all.add(
        new Hostile(
            "avro-unknown-charset",
            AvroSerde.rawDocument().encode(rawDocument("text/plain; charset=x-klingon", "qapla")),
            "unsupported_content_type"));
    all.add(
        new Hostile(
            "gzip-bomb-labelled-as-text",
            AvroSerde.rawDocument()
                .encode(
                    RawDocument.newBuilder(rawDocument("text/plain; charset=UTF-8", ""))
                        .setBody(ByteBuffer.wrap(gzipOfZeros(64 * 1024 * 1024)))
                        .build()),
            "binary_payload",
            "invalid_utf8"));
    // keys and headers
    byte[] hugeKey = new byte[512 * 1024];
    random.nextBytes(hugeKey);
    all.add(
        new Hostile(
            "huge-binary-key",
            hugeKey,
            utf8("{\"text\": 1}"),
            List.of(),
            Set.of("not_a_document")));
    all.add(
        new Hostile(
            "huge-text-key",
            utf8("k".repeat(512 * 1024)),
            utf8("{\"text\": "),
            List.of(),
            Set.of("malformed_json")));
    all.add(
        new Hostile(
            "huge-key-as-id",
            utf8("k".repeat(512 * 1024)),
            utf8("{\"text\": \"A document whose only id would be its key.\"}"),
            List.of(),
            Set.of("invalid_id")));
    all.add(
        new Hostile(
            "huge-id-field",
            utf8("{\"id\": \"" + "i".repeat(100_000) + "\", \"text\": \"An enormous id.\"}"),
            "invalid_id"));
    List<Header> headers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      byte[] value = new byte[1024];
      random.nextBytes(value);
      headers.add(new RecordHeader("h\u0000\uFFFF" + i, value));
    }
    headers.add(new RecordHeader("content-type", utf8("application/x-evil")));
    headers.add(new RecordHeader("", (byte[]) null));
    all.add(
        new Hostile(
            "hostile-headers",
            utf8("bad-hostile-headers"),
            utf8("[\"headers are not the document\"]"),
            headers,
            Set.of("not_a_document")));
    return all;
  }

  private static byte[] urlDocument(String url) {
    return utf8("{\"url\": \"" + url + "\", \"text\": \"A page from an odd place.\"}");
  }

  private static RawDocument rawDocument(String contentType, String body) {
    return RawDocument.newBuilder()
        .setId("avro-" + contentType.hashCode())
        .setUrl("https://example.org/avro")
        .setSource("hostile-test")
        .setContentType(contentType)
        .setBody(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)))
        .setFetchedAt(Instant.parse("2026-12-03T00:00:00Z"))
        .setMetadata(Map.of())
        .build();
  }

  private static byte[] gzipOfZeros(int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      byte[] zeros = new byte[1 << 20];
      for (int written = 0; written < size; written += zeros.length) {
        gzip.write(zeros);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] latin1(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] encoded(String text, String charset) {
    return text.getBytes(Charset.forName(charset));
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
