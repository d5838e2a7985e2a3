package org.millrace.producers.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.reject.RejectReason;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcWriter;

/**
 * WARC response records of payloads of every size that matters to {@link WarcDocuments}: empty,
 * around jwarc's 8 KiB buffer, at and past {@code documents.max.bytes}, past what it reads whole
 * ({@link WarcDocuments#HTTP_HEADER_ROOM}), gzip-encoded and chunked; each document's body is the
 * payload byte for byte, and a file cut inside a record ends in a clear rejection.
 */
class WarcPayloadSizesTest {

  private static final int MAX_BYTES = 100_000;
  private static final int[] SIZES = {0, 1, 8_191, 8_192, 8_193, 65_536, MAX_BYTES};

  @TempDir Path scratch;

  @Test
  void everyPayloadSizeReadsBackExactlyPlainAndGzipped() throws Exception {
    for (WarcCompression compression : List.of(WarcCompression.NONE, WarcCompression.GZIP)) {
      List<byte[]> payloads = new ArrayList<>();
      Path file = scratch.resolve("sizes-" + compression + ".warc");
      try (WarcWriter writer = writer(file, compression)) {
        for (int size : SIZES) {
          byte[] payload = html(size, size);
          payloads.add(payload);
          writer.write(response(payloads.size(), plainHttp(payload)));
        }
      }

      CollectedRecords records = read(file);

      assertThat(records.rejected).isEmpty();
      assertThat(records.documents).hasSameSizeAs(payloads);
      for (int i = 0; i < payloads.size(); i++) {
        RawDocument document = records.documents.get(i);
        assertThat(bytesOf(document.getBody())).as("payload %d", i).isEqualTo(payloads.get(i));
        assertThat(document.getUrl()).isEqualTo("https://sizes.example/" + (i + 1));
        assertThat(document.getContentType()).isEqualTo("text/html;charset=utf-8");
        assertThat(document.getFetchedAt()).isEqualTo(Instant.parse("2024-05-18T01:58:10Z"));
        assertThat(document.getMetadata())
            .containsEntry("http_status", "200")
            .containsEntry("warc_date", "2024-05-18T01:58:10Z")
            .containsKey("warc_record_id");
        assertThat(document.getMetadata().get("warc_record_id")).startsWith("urn:uuid:");
      }
    }
  }

  @Test
  void payloadsPastTheLimitAreRejectedWithTheirSizeWhetherHeldOrStreamed() throws Exception {
    int held = MAX_BYTES + 1; // read whole, then found too large
    int streamed = MAX_BYTES + WarcDocuments.HTTP_HEADER_ROOM + 10; // jwarc streams it
    Path file = scratch.resolve("large.warc.gz");
    try (WarcWriter writer = writer(file, WarcCompression.GZIP)) {
      writer.write(response(1, plainHttp(html(held, 1))));
      writer.write(response(2, plainHttp(html(streamed, 2))));
      writer.write(response(3, plainHttp(html(10, 3))));
    }

    CollectedRecords records = read(file);

    assertThat(records.rejected)
        .extracting(CollectedRecords.Rejected::reason, CollectedRecords.Rejected::size)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(RejectReason.TOO_LARGE, (long) held),
            org.assertj.core.groups.Tuple.tuple(RejectReason.TOO_LARGE, (long) streamed));
    assertThat(records.rejected.get(0).detail())
        .isEqualTo("WARC payload of " + held + " bytes exceeds documents.max.bytes = " + MAX_BYTES);
    assertThat(records.documents).singleElement();
  }

  @Test
  void encodedAndChunkedPayloadsAreDecoded() throws Exception {
    byte[] payload = html(20_000, 7);
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
      gzip.write(payload);
    }
    byte[] encoded =
        concat(
            header("Content-Encoding: gzip\r\nContent-Length: " + gzipped.size()),
            gzipped.toByteArray());
    byte[] chunked =
        concat(
            header("Transfer-Encoding: chunked"),
            ascii(Integer.toHexString(payload.length) + "\r\n"),
            payload,
            ascii("\r\n0\r\n\r\n"));
    Path file = scratch.resolve("encoded.warc");
    try (WarcWriter writer = writer(file, WarcCompression.NONE)) {
      writer.write(response(1, encoded));
      writer.write(response(2, chunked));
    }

    CollectedRecords records = read(file);

    assertThat(records.rejected).isEmpty();
    assertThat(records.documents).hasSize(2);
    for (RawDocument document : records.documents) {
      assertThat(bytesOf(document.getBody())).isEqualTo(payload);
    }
  }

  @Test
  void aFileCutInsideARecordEndsInATruncatedRecordRejection() throws Exception {
    for (WarcCompression compression : List.of(WarcCompression.NONE, WarcCompression.GZIP)) {
      Path whole = scratch.resolve("whole-" + compression + ".warc");
      try (WarcWriter writer = writer(whole, compression)) {
        writer.write(response(1, plainHttp(html(5_000, 1))));
      }
      long lastRecord = Files.size(whole);
      try (WarcWriter writer = writer(whole, compression, StandardOpenOption.APPEND)) {
        writer.write(response(2, plainHttp(html(50_000, 2))));
      }
      byte[] bytes = Files.readAllBytes(whole);
      Path cut = scratch.resolve("cut-" + compression + ".warc");
      // cut in the middle of the second record's payload
      Files.write(
          cut,
          java.util.Arrays.copyOf(bytes, (int) (lastRecord + (bytes.length - lastRecord) / 2)));

      CollectedRecords records = read(cut);

      assertThat(records.documents).as("%s", compression).hasSize(1);
      assertThat(records.rejected)
          .as("%s", compression)
          .singleElement()
          .satisfies(
              rejected -> {
                assertThat(rejected.reason()).isEqualTo(RejectReason.TRUNCATED_RECORD);
                assertThat(rejected.source()).endsWith("@" + lastRecord);
                assertThat(rejected.size()).isEqualTo(Files.size(cut) - lastRecord);
                assertThat(rejected.detail())
                    .startsWith("the file ends inside the record at offset " + lastRecord)
                    .contains("EOFException");
              });
    }
  }

  private CollectedRecords read(Path file) throws Exception {
    CollectedRecords records = new CollectedRecords(MAX_BYTES);
    WarcDocuments.read(file, "file:" + file.getFileName(), records);
    return records;
  }

  private static WarcWriter writer(
      Path file, WarcCompression compression, StandardOpenOption... options) throws Exception {
    List<StandardOpenOption> open = new ArrayList<>(List.of(StandardOpenOption.WRITE));
    open.add(options.length == 0 ? StandardOpenOption.CREATE_NEW : options[0]);
    return new WarcWriter(
        FileChannel.open(file, open.toArray(StandardOpenOption[]::new)), compression);
  }

  private static WarcResponse response(int n, byte[] http) {
    return new WarcResponse.Builder(URI.create("https://sizes.example/" + n))
        .date(Instant.parse("2024-05-18T01:58:10Z"))
        .body(MediaType.HTTP_RESPONSE, http)
        .build();
  }

  /** An HTML page of exactly {@code size} bytes (pseudo-random letters, seeded). */
  private static byte[] html(int size, long seed) {
    byte[] page = new byte[size];
    Random random = new Random(seed);
    for (int i = 0; i < size; i++) {
      page[i] = (byte) ('a' + random.nextInt(26));
    }
    return page;
  }

  private static byte[] plainHttp(byte[] payload) {
    return concat(header("Content-Length: " + payload.length), payload);
  }

  private static byte[] header(String fields) {
    return ascii(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html;charset=utf-8\r\n" + fields + "\r\n\r\n");
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] bytesOf(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
