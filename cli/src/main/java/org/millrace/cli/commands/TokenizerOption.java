package org.millrace.cli.commands;

import java.nio.file.Path;
import java.util.Map;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.tokenizer.TokenizerKeys;
import picocli.CommandLine.Option;

/** {@code --tokenizer FILE}: a tokenizer file instead of the configured {@code tokenizer.file}. */
public final class TokenizerOption {

  @Option(names = "--tokenizer", paramLabel = "FILE", description = "Default: tokenizer.file.")
  Path file;

  /** The configuration with {@code tokenizer.file} set to the option's file, when given. */
  public MillraceConfig applyTo(MillraceConfig config) {
    return file == null ? config : config.with(Map.of(TokenizerKeys.FILE, file.toString()));
  }
}
