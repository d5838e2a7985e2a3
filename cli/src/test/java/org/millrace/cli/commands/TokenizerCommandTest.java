package org.millrace.cli.commands;

import org.millrace.cli.CommandRun;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class TokenizerCommandTest {

  private static final String TEXT =
      "To be, or not to be, that is the question:\n"
          + "Whether 'tis nobler in the mind to suffer\n"
          + "The slings and arrows of outrageous fortune.\n";

  @TempDir Path directory;

  @Test
  void trainsABpeTokenizerThenEncodesAndDecodesThroughStandardInputAndOutput() throws Exception {
    Path corpus = Files.writeString(directory.resolve("hamlet.txt"), TEXT.repeat(30));
    Files.writeString(
        directory.resolve("lines.jsonl"),
        "{\"text\": \"" + "The question is the question. ".repeat(5) + "\"}\n");
    Path tokenizer = directory.resolve("tokenizer.json");

    CommandRun train =
        CommandRun.of(
            "tokenizer",
            "train",
            "--input",
            directory.toString(),
            "--vocab-size",
            "320",
            "--out",
            tokenizer.toString());

    assertThat(train.exitCode()).as(train.err()).isZero();
    assertThat(train.out()).contains("Trained a byte-level BPE").contains("on 2 documents");
    assertThat(Files.readString(tokenizer))
        .contains("\"type\": \"BPE\"")
        .contains("<|endoftext|>")
        .contains("<|mask|>");

    String ids =
        withStandardInput(
                TEXT,
                () ->
                    CommandRun.of(
                        "tokenizer", "encode", "--tokenizer", tokenizer.toString()))
            .out()
            .strip();
    assertThat(ids.split(" ").length).isLessThan(TEXT.length() / 2);
    String decoded =
        withStandardInput(
                ids,
                () ->
                    CommandRun.of(
                        "tokenizer", "decode", "--tokenizer", tokenizer.toString()))
            .out();
    assertThat(decoded).isEqualTo(TEXT);
    assertThat(corpus).exists();
  }

  @Test
  void trainsACharacterTokenizer() throws Exception {
    Files.writeString(directory.resolve("abc.txt"), "abcab\n");
    Path tokenizer = directory.resolve("chars.json");

    CommandRun train =
        CommandRun.of(
            "tokenizer",
            "train",
            "--type",
            "char",
            "--input",
            directory.resolve("abc.txt").toString(),
            "--out",
            tokenizer.toString(),
            "--special-tokens",
            "<|endoftext|>");

    assertThat(train.exitCode()).as(train.err()).isZero();
    // "\n" is not in the vocabulary: the text was normalised (trailing line feed stripped) as the
    // clean stage does
    String ids =
        withStandardInput(
                "cab",
                () ->
                    CommandRun.of(
                        "tokenizer", "encode", "--tokenizer", tokenizer.toString()))
            .out();
    assertThat(ids.strip()).isEqualTo("2 0 1");
  }

  @Test
  void badInputIsAClearError() throws Exception {
    Path tokenizer = directory.resolve("t.json");
    CommandRun missing =
        CommandRun.of(
            "tokenizer", "train", "--input", "/nonexistent", "--out", tokenizer.toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("no such file or directory: /nonexistent");

    CommandRun notIds =
        withStandardInput("1 2 x", () -> CommandRun.of("tokenizer", "decode"));
    assertThat(notIds.exitCode()).isEqualTo(1);
    assertThat(notIds.err()).contains("not a token id: 'x'");
  }

  private static CommandRun withStandardInput(
      String input, java.util.function.Supplier<CommandRun> command) {
    InputStream original = System.in;
    System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    try {
      return command.get();
    } finally {
      System.setIn(original);
    }
  }
}
