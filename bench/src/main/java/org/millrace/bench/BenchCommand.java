package org.millrace.bench;

import org.millrace.cli.Millrace;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code millrace bench}: the measurements of docs/benchmarks.md, reproducible with one command
 * each.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    header = "Measure Millrace against its references (docs/benchmarks.md).",
    subcommands = {
      BenchTokenizeCommand.class,
      BenchHybridCommand.class,
      BenchTrainCommand.class,
      BenchShakespeareCommand.class,
      BenchSweepCommand.class,
      BenchMinHashCommand.class,
      BenchDedupCommand.class,
      BenchCrawlCommand.class,
      BenchCleanCommand.class,
      BenchLangidCommand.class,
      BenchFeedCommand.class,
      BenchPipelineCommand.class
    })
public final class BenchCommand {

  @ParentCommand Millrace millrace;
}
