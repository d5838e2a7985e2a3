package org.millrace.producers.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputPathsTest {

  @TempDir Path corpus;

  @Test
  void aGlobMatchesFilesAtEveryDepthAndOnlyThose() throws Exception {
    Files.createDirectories(corpus.resolve("a/b"));
    Files.writeString(corpus.resolve("top.txt"), "x");
    Files.writeString(corpus.resolve("a/one.txt"), "x");
    Files.writeString(corpus.resolve("a/b/two.txt"), "x");
    Files.writeString(corpus.resolve("a/b/skip.md"), "x");

    assertThat(InputPaths.expand(corpus + "/**/*.txt"))
        .containsExactly(
            corpus.resolve("a/b/two.txt"), corpus.resolve("a/one.txt"), corpus.resolve("top.txt"));
    assertThat(InputPaths.expand(corpus + "/a/*.txt")).containsExactly(corpus.resolve("a/one.txt"));
    assertThat(InputPaths.expand(corpus.toString())).containsExactly(corpus);
    assertThatThrownBy(() -> InputPaths.expand(corpus + "/**/*.parquet"))
        .hasMessageContaining("no file matches");
  }
}
