package org.millrace.bench;

import picocli.CommandLine.Option;

/**
 * {@code --documents N}: how many generated documents a stage benchmark pushes through (bench
 * dedup, bench feed), the same default for both so that their figures are of the same size of run.
 */
final class DocumentCount {

  @Option(
      names = "--documents",
      defaultValue = "20000",
      description = "Documents (default: ${DEFAULT-VALUE}).")
  int count;
}
