package org.millrace.producers.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.runtime.testing.SharedTestData;

class FileFormatTest {

  @TempDir Path scratch;

  @Test
  void theExtensionDecidesTheFormat() {
    assertThat(FileFormat.of(Path.of("a/b/corpus.JSONL"))).isEqualTo(FileFormat.JSONL);
    assertThat(FileFormat.of(Path.of("x.ndjson"))).isEqualTo(FileFormat.JSONL);
    assertThat(FileFormat.of(Path.of("x.jsonl.gz"))).isEqualTo(FileFormat.JSONL);
    assertThat(FileFormat.of(Path.of("index.html"))).isEqualTo(FileFormat.HTML);
    assertThat(FileFormat.of(Path.of("README.md"))).isEqualTo(FileFormat.TEXT);
    assertThat(FileFormat.of(Path.of("notes.txt"))).isEqualTo(FileFormat.TEXT);
    assertThat(FileFormat.of(Path.of("CC-MAIN-1.warc.wet.gz"))).isEqualTo(FileFormat.WARC);
    assertThat(FileFormat.of(Path.of("crawl.warc"))).isEqualTo(FileFormat.WARC);
    assertThat(FileFormat.of(Path.of("000_00000.parquet"))).isEqualTo(FileFormat.PARQUET);
    assertThat(FileFormat.of(Path.of("image.png"))).isEqualTo(FileFormat.UNSUPPORTED);
    assertThat(FileFormat.of(Path.of("Makefile"))).isEqualTo(FileFormat.UNSUPPORTED);
  }

  @Test
  void theFirstBytesWinOverTheName() throws Exception {
    Path warcNamedTxt = scratch.resolve("looks-like.txt");
    Files.writeString(warcNamedTxt, "WARC/1.0\r\nWARC-Type: warcinfo\r\n");
    Path gzippedWarcNamedBin = scratch.resolve("download.bin");
    gzip(gzippedWarcNamedBin, "WARC/1.1\r\nWARC-Type: response\r\n");
    Path parquetNamedDat = scratch.resolve("shard.dat");
    Files.writeString(parquetNamedDat, "PAR1....");
    Path gzippedJsonl = scratch.resolve("corpus.jsonl.gz");
    gzip(gzippedJsonl, "{\"text\": \"x\"}\n");

    assertThat(FileFormat.detect(warcNamedTxt)).isEqualTo(FileFormat.WARC);
    assertThat(FileFormat.detect(gzippedWarcNamedBin)).isEqualTo(FileFormat.WARC);
    assertThat(FileFormat.detect(parquetNamedDat)).isEqualTo(FileFormat.PARQUET);
    assertThat(FileFormat.detect(gzippedJsonl)).isEqualTo(FileFormat.JSONL);
    assertThat(FileFormat.isGzip(gzippedJsonl)).isTrue();
  }

  @Test
  void theSharedSamplesAreWarcByTheirBytes() throws Exception {
    Path wet = SharedTestData.warc("whirlwind.warc.wet.gz");
    Path copy = scratch.resolve("renamed.data");
    Files.copy(wet, copy);

    assertThat(FileFormat.detect(copy)).isEqualTo(FileFormat.WARC);
    assertThat(FileFormat.detect(SharedTestData.warc("warcio-example-trunc.warc")))
        .isEqualTo(FileFormat.WARC);
  }

  private static void gzip(Path file, String content) throws Exception {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }
}
