package org.millrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.cli.Millrace;
import org.millrace.tokenizer.ByteLevelTokenizer;
import picocli.CommandLine;

class BenchShakespeareCommandTest {

  @TempDir Path directory;
  private Path text;

  @BeforeEach
  void writeText() throws Exception {
    text = Files.writeString(directory.resolve("input.txt"), "First Citizen:\n");
  }

  @Test
  void endsEveryDocumentWithEndOfTextAsTheTokenizeStageDoes() {
    ByteLevelTokenizer bytes = new ByteLevelTokenizer();
    int end = bytes.endOfTextId();

    int[] ids = BenchShakespeareCommand.encode(bytes, List.of("ab", "c"));

    assertThat(ids).containsExactly('a', 'b', end, 'c', end);
  }

  @Test
  void refusesValidationDocumentsWithoutATokenizer() {
    String err = errorOf("--validation", text.toString());

    assertThat(err).contains("without --tokenizer").contains("no --validation");
  }

  @Test
  void refusesSeveralTextsWithoutATokenizer() {
    String err = errorOf(text.toString());

    assertThat(err).contains("--data names one text file");
  }

  @Test
  void namesAMissingTokenizerFile() {
    Path missing = directory.resolve("missing.json");

    String err = errorOf("--tokenizer", missing.toString());

    assertThat(err).contains(missing.toString()).contains("does not exist");
  }

  /**
   * Runs {@code bench shakespeare-char --data TEXT} with {@code more} in this JVM; returns what it
   * wrote to standard error, after a failure.
   */
  private String errorOf(String... more) {
    List<String> args =
        new ArrayList<>(List.of("bench", "shakespeare-char", "--data", text.toString()));
    args.addAll(List.of(more));
    CommandLine commandLine = Millrace.commandLine();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(new StringWriter()));
    commandLine.setErr(new PrintWriter(err));
    assertThat(commandLine.execute(args.toArray(String[]::new))).isNotZero();
    return err.toString();
  }
}
