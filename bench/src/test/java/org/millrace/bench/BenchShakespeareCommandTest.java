package org.millrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.cli.Millrace;
import org.millrace.tokenizer.ByteLevelTokenizer;
import picocli.CommandLine;

class BenchShakespeareCommandTest {

  @TempDir Path directory;

  @Test
  void endsEveryDocumentWithEndOfTextAsTheTokenizeStageDoes() {
    ByteLevelTokenizer bytes = new ByteLevelTokenizer();
    int end = bytes.endOfTextId();

    int[] ids = BenchShakespeareCommand.encode(bytes, List.of("ab", "c"));

    assertThat(ids).containsExactly('a', 'b', end, 'c', end);
  }

  @Test
  void refusesValidationDocumentsWithoutATokenizer() throws Exception {
    Path text = Files.writeString(directory.resolve("input.txt"), "First Citizen:\n");

    String err =
        run(
            "bench",
            "shakespeare-char",
            "--data",
            text.toString(),
            "--validation",
            text.toString());

    assertThat(err).contains("without --tokenizer").contains("no --validation");
  }

  @Test
  void refusesSeveralTextsWithoutATokenizer() throws Exception {
    Path text = Files.writeString(directory.resolve("input.txt"), "First Citizen:\n");

    String err = run("bench", "shakespeare-char", "--data", text.toString(), text.toString());

    assertThat(err).contains("--data names one text file");
  }

  @Test
  void namesAMissingTokenizerFile() throws Exception {
    Path text = Files.writeString(directory.resolve("input.txt"), "First Citizen:\n");
    Path missing = directory.resolve("missing.json");

    String err =
        run(
            "bench",
            "shakespeare-char",
            "--data",
            text.toString(),
            "--tokenizer",
            missing.toString());

    assertThat(err).contains(missing.toString()).contains("does not exist");
  }

  /** Runs the command in this JVM; returns what it wrote to standard error, after a failure. */
  private static String run(String... args) {
    CommandLine commandLine = Millrace.commandLine();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(new StringWriter()));
    commandLine.setErr(new PrintWriter(err));
    assertThat(commandLine.execute(args)).isNotZero();
    return err.toString();
  }
}
