package org.millrace.producers.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FileFormatTest {

  @Test
  void theExtensionDecidesTheFormat() {
    assertThat(FileFormat.of(Path.of("a/b/corpus.JSONL"))).isEqualTo(FileFormat.JSONL);
    assertThat(FileFormat.of(Path.of("x.ndjson"))).isEqualTo(FileFormat.JSONL);
    assertThat(FileFormat.of(Path.of("index.html"))).isEqualTo(FileFormat.HTML);
    assertThat(FileFormat.of(Path.of("README.md"))).isEqualTo(FileFormat.TEXT);
    assertThat(FileFormat.of(Path.of("notes.txt"))).isEqualTo(FileFormat.TEXT);
    assertThat(FileFormat.of(Path.of("image.png"))).isEqualTo(FileFormat.UNSUPPORTED);
    assertThat(FileFormat.of(Path.of("Makefile"))).isEqualTo(FileFormat.UNSUPPORTED);
  }
}
