package org.millrace.producers.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.runtime.testing.SharedTestData;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.reject.RejectReason;

/**
 * Every file of shared/data/warc read as the feeder reads it. The expected record counts were found
 * by hand, outside this code: {@code zcat -f FILE | grep -a '^WARC-Type:' | sort | uniq -c}
 * (jwarc-cc: 1 response; whirlwind.warc.gz: warcinfo, request, response, metadata; .wet.gz:
 * warcinfo, conversion; .wat.gz: warcinfo, metadata; warcio-example and -bad-non-chunked: 2
 * warcinfo, 2 request, 1 response, 1 revisit; -iana.org-chunked: warcinfo, request, response;
 * -resource: 2 warcinfo, 1 resource; -trunc: 2 warcinfo, request, response; -wrong-chunks: request,
 * response).
 */
class WarcDocumentsTest {

  @TempDir Path scratch;

  private static CollectedRecords read(Path file) throws Exception {
    CollectedRecords records = new CollectedRecords(1 << 20);
    WarcDocuments.read(file, "file:" + file.getFileName(), records);
    return records;
  }

  @Test
  void aCommonCrawlWarcGivesItsResponseAndSkipsTheOtherRecords() throws Exception {
    Path file = SharedTestData.warc("whirlwind.warc.gz");
    CollectedRecords records = read(file);

    assertThat(records.documents).hasSize(1);
    assertThat(records.rejected).isEmpty();
    assertThat(records.skipped)
        .isEqualTo(Map.of("warc warcinfo", 1, "warc request", 1, "warc metadata", 1));
    RawDocument page = records.documents.get(0);
    assertThat(page.getUrl()).isEqualTo("https://an.wikipedia.org/wiki/Escopete");
    assertThat(page.getContentType()).startsWith("text/html");
    assertThat(StandardCharsets.UTF_8.decode(page.getBody()).toString())
        .contains("<html")
        .doesNotContain("HTTP/1.1 200"); // the payload, not the HTTP message
    assertThat(page.getMetadata())
        .containsEntry("warc_type", "response")
        .containsEntry("http_status", "200");
    assertThat(page.getFetchedAt()).hasToString("2024-05-18T01:58:10Z");
    // The source's offset is where the record's gzip member starts in the file.
    long offset = Long.parseLong(page.getSource().substring(page.getSource().indexOf('@') + 1));
    assertThat(headerOfMemberAt(file, offset))
        .startsWith("WARC/1.0")
        .contains("WARC-Type: response")
        .contains(page.getMetadata().get("warc_record_id"));
  }

  @Test
  void aWetFileGivesTheConversionTextWithItsLanguage() throws Exception {
    CollectedRecords records = read(SharedTestData.warc("whirlwind.warc.wet.gz"));

    assertThat(records.documents)
        .singleElement()
        .satisfies(
            text -> {
              assertThat(text.getContentType()).isEqualTo("text/plain");
              assertThat(text.getMetadata())
                  .containsEntry("language", "spa")
                  .containsEntry("warc_type", "conversion");
              // Content-Length: 4456 in the record's header.
              assertThat(text.getBody().remaining()).isEqualTo(4456);
            });
    assertThat(records.skipped).isEqualTo(Map.of("warc warcinfo", 1));
  }

  @Test
  void aWatFileHasNoDocuments() throws Exception {
    CollectedRecords records = read(SharedTestData.warc("whirlwind.warc.wat.gz"));

    assertThat(records.documents).isEmpty();
    assertThat(records.rejected).isEmpty();
    assertThat(records.skipped).isEqualTo(Map.of("warc warcinfo", 1, "warc metadata", 1));
  }

  @Test
  void everyWellFormedSampleGivesItsResponses() throws Exception {
    assertThat(read(SharedTestData.warc("jwarc-cc.warc.gz")).documents).hasSize(1);
    CollectedRecords example = read(SharedTestData.warc("warcio-example.warc.gz"));
    assertThat(example.documents).hasSize(1);
    assertThat(example.skipped)
        .isEqualTo(Map.of("warc warcinfo", 2, "warc request", 2, "warc revisit", 1));
    CollectedRecords resource = read(SharedTestData.warc("warcio-example-resource.warc.gz"));
    assertThat(resource.documents).isEmpty();
    assertThat(resource.skipped).isEqualTo(Map.of("warc warcinfo", 2, "warc resource", 1));
  }

  @Test
  void aChunkedResponseIsDechunked() throws Exception {
    CollectedRecords records = read(SharedTestData.warc("warcio-example-iana.org-chunked.warc"));

    String page = StandardCharsets.UTF_8.decode(records.documents.get(0).getBody()).toString();
    assertThat(page).startsWith("<!doctype html>").endsWith("</html>\n");
    assertThat(page).doesNotContainPattern("(?m)^[0-9a-f]+\r$"); // no chunk-size lines left
  }

  @Test
  void malformedSamplesAreReadAsFarAsTheyCanBe() throws Exception {
    // warcio's malformed files: jwarc reads the bad chunking and the bad non-chunked body
    // leniently, so their responses are documents; the truncated response is rejected and the
    // records after it are still read.
    CollectedRecords wrongChunks = read(SharedTestData.warc("warcio-example-wrong-chunks.warc.gz"));
    assertThat(wrongChunks.documents).hasSize(1);
    assertThat(wrongChunks.skipped).isEqualTo(Map.of("warc request", 1));
    CollectedRecords badNonChunked =
        read(SharedTestData.warc("warcio-example-bad-non-chunked.warc.gz"));
    assertThat(badNonChunked.documents).hasSize(1);
    assertThat(badNonChunked.skipped)
        .isEqualTo(Map.of("warc warcinfo", 2, "warc request", 2, "warc revisit", 1));

    Path trunc = SharedTestData.warc("warcio-example-trunc.warc");
    CollectedRecords truncated = read(trunc);
    assertThat(truncated.documents).isEmpty();
    assertThat(truncated.rejected)
        .singleElement()
        .satisfies(
            rejected -> {
              assertThat(rejected.reason()).isEqualTo(RejectReason.TRUNCATED_RECORD);
              long offset = Long.parseLong(rejected.source().replaceAll(".*@", ""));
              assertThat(textAt(trunc, offset)).contains("WARC-Type: response");
              assertThat(rejected.detail()).contains("resumed at the next record");
            });
    // Both warcinfo records, one before and one after the truncated response.
    assertThat(truncated.skipped).isEqualTo(Map.of("warc warcinfo", 2, "warc request", 1));
  }

  @Test
  void aCorruptGzipMemberIsRejectedAndTheNextMembersAreRead() throws Exception {
    Path original = SharedTestData.warc("whirlwind.warc.gz");
    byte[] bytes = Files.readAllBytes(original);
    long response =
        Long.parseLong(read(original).documents.get(0).getSource().replaceAll(".*@", ""));
    // Scramble the middle of the response's member: its deflate stream no longer decodes.
    for (int i = (int) response + 200; i < response + 400; i++) {
      bytes[i] = (byte) (bytes[i] * 31 + 7);
    }
    Path corrupt = scratch.resolve("corrupt.warc.gz");
    Files.write(corrupt, bytes);

    CollectedRecords records = read(corrupt);

    assertThat(records.documents).isEmpty();
    assertThat(records.rejected)
        .singleElement()
        .satisfies(
            rejected ->
                assertThat(rejected.source()).isEqualTo("file:corrupt.warc.gz@" + response));
    // The metadata record after the response is still read.
    assertThat(records.skipped).containsEntry("warc metadata", 1);
  }

  @Test
  void garbageWithNoLaterRecordIsTheUnreadableRemainder() throws Exception {
    byte[] good = Files.readAllBytes(SharedTestData.warc("warcio-example-iana.org-chunked.warc"));
    byte[] garbage =
        "WARC/1.0\r\nthis is not a header\r\n\r\nand no record follows"
            .getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = Arrays.copyOf(good, good.length + garbage.length);
    System.arraycopy(garbage, 0, bytes, good.length, garbage.length);
    Path file = scratch.resolve("tail.warc");
    Files.write(file, bytes);

    CollectedRecords records = read(file);

    assertThat(records.documents).hasSize(1);
    assertThat(records.rejected)
        .singleElement()
        .satisfies(
            rejected -> {
              assertThat(rejected.reason()).isEqualTo(RejectReason.UNREADABLE_REMAINDER);
              assertThat(rejected.size()).isEqualTo(garbage.length);
              assertThat(rejected.source()).endsWith("@" + good.length);
            });
  }

  private static String headerOfMemberAt(Path file, long offset) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(offset);
      return new String(new GZIPInputStream(in).readNBytes(600), StandardCharsets.ISO_8859_1);
    }
  }

  private static String textAt(Path file, long offset) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(offset);
      return new String(in.readNBytes(300), StandardCharsets.ISO_8859_1);
    }
  }
}
