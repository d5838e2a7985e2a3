package org.millrace.cli.commands;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.millrace.cli.Millrace;
import org.millrace.tokenizer.Tokenizer;
import org.millrace.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code millrace tokenizer train|encode|decode}. */
@Command(
    name = "tokenizer",
    mixinStandardHelpOptions = true,
    header = "Train a tokenizer, or look at what one does to a text.",
    description =
        "Train a byte-level BPE or a character tokenizer; encode and decode with any tokenizer.",
    subcommands = {
      TokenizerTrainCommand.class,
      TokenizerCommand.Encode.class,
      TokenizerCommand.Decode.class
    })
public final class TokenizerCommand {

  @ParentCommand Millrace millrace;

  /**
   * What encode and decode share: the configured tokenizer (or {@code --tokenizer}), standard input
   * in, standard output out.
   */
  abstract static class Conversion implements Callable<Integer> {
    @ParentCommand TokenizerCommand parent;
    @Spec CommandSpec spec;

    @Mixin TokenizerOption tokenizerOption;

    @Override
    public Integer call() throws Exception {
      Tokenizer tokenizer = Tokenizers.load(tokenizerOption.applyTo(parent.millrace.config()));
      PrintWriter out = spec.commandLine().getOut();
      convert(tokenizer, System.in, out);
      out.flush();
      return 0;
    }

    abstract void convert(Tokenizer tokenizer, InputStream in, PrintWriter out) throws IOException;
  }

  @Command(
      name = "encode",
      mixinStandardHelpOptions = true,
      header = "Text on standard input, token ids separated by spaces on standard output.")
  static final class Encode extends Conversion {

    @Override
    void convert(Tokenizer tokenizer, InputStream in, PrintWriter out) throws IOException {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      out.println(
          java.util.Arrays.stream(tokenizer.encode(text))
              .mapToObj(Integer::toString)
              .collect(Collectors.joining(" ")));
    }
  }

  @Command(
      name = "decode",
      mixinStandardHelpOptions = true,
      header = "Token ids (separated by white space) on standard input, text on standard output.")
  static final class Decode extends Conversion {

    @Override
    void convert(Tokenizer tokenizer, InputStream in, PrintWriter out) throws IOException {
      List<Integer> ids = new ArrayList<>();
      try (BufferedReader lines =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          for (String id : line.strip().split("\\s+")) {
            if (!id.isEmpty()) {
              try {
                ids.add(Integer.parseInt(id));
              } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a token id: '" + id + "'");
              }
            }
          }
        }
      }
      out.print(tokenizer.decode(ids.stream().mapToInt(Integer::intValue).toArray()));
    }
  }
}
