package org.millrace.cli.commands;

import java.util.List;
import org.millrace.cli.sweep.SweepGrid;
import picocli.CommandLine.Option;

/**
 * {@code --sizes} and {@code --tokens}: a sweep's grid, for {@code millrace sweep} and {@code
 * millrace bench sweep}. The defaults are the sweep of docs/benchmarks.md, about 25 minutes on 2
 * loaded CPU cores.
 */
public final class SweepGridOptions {

  @Option(
      names = "--sizes",
      split = ",",
      paramLabel = "SIZE",
      defaultValue = "1x32,2x32,2x64,3x96",
      description =
          "Model sizes: presets of trainer.model (tiny, small, ...) or LAYERSxWIDTH of the gpt"
              + " architecture. Default: ${DEFAULT-VALUE}.")
  List<String> sizes;

  @Option(
      names = "--tokens",
      split = ",",
      paramLabel = "COUNT",
      defaultValue = "60k,200k,600k",
      description = "Token budgets (k, M, G allowed). Default: ${DEFAULT-VALUE}.")
  List<String> budgets;

  public SweepGrid grid() {
    return new SweepGrid(sizes, budgets);
  }
}
