package org.millrace.cli.commands;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.millrace.runtime.config.MillraceConfig;
import picocli.CommandLine.Option;

/**
 * {@code --input PATH|topic:NAME}, required and repeatable: the corpus a command reads (files,
 * folders, or the clean documents of a topic), as {@link CorpusTexts} reads it. Shared by {@code
 * tokenizer train} and {@code bench tokenize}, which read the same corpora.
 */
public final class CorpusInputs {

  @Option(
      names = "--input",
      required = true,
      paramLabel = "PATH|topic:NAME",
      description = "Repeatable.")
  List<String> inputs;

  /** Checks every input (a typo fails before anything is read), then gives each text to sink. */
  public void forEach(MillraceConfig config, Consumer<String> sink) throws IOException {
    CorpusTexts.check(inputs);
    new CorpusTexts(config).forEach(inputs, sink);
  }
}
