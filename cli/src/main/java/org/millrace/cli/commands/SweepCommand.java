package org.millrace.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.millrace.cli.Millrace;
import org.millrace.cli.ShutdownSignal;
import org.millrace.cli.local.LocalPipeline;
import org.millrace.cli.sweep.RunsCsv;
import org.millrace.cli.sweep.ScalingReport;
import org.millrace.cli.sweep.SweepGrid;
import org.millrace.cli.sweep.SweepPoint;
import org.millrace.cli.sweep.SweepRunner;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.tokenizer.Tokenizer;
import org.millrace.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code millrace sweep}: a grid of model sizes and token budgets, each point its own run. */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    header =
        "Train a grid of model sizes x token budgets from the tokens topic; fit a scaling law.",
    description = {
      "Each point trains as its own run (<name>-<size>-<tokens>: its own checkpoints and consumer"
          + " group),",
      "reading the tokens topic from offset 0 and stopping at its token budget; its final"
          + " validation loss",
      "goes to the runs file (point,run_id,model,params,tokens,loss,steps,seconds). Points in the"
          + " file are",
      "skipped, a point stopped half-way resumes from its checkpoint; --point and --shard split"
          + " the grid",
      "over machines. When every point is in the file, the law is fitted as 'sweep fit' does"
          + " (docs/scaling.md)."
    },
    subcommands = {SweepCommand.Fit.class})
public final class SweepCommand implements Callable<Integer> {

  @ParentCommand Millrace millrace;
  @Spec CommandSpec spec;
  @Mixin FitOptions fitOptions;

  @Mixin SweepGridOptions gridOptions;

  @Option(
      names = "--name",
      defaultValue = "sweep",
      description = "Prefix of the points' run ids. Default: ${DEFAULT-VALUE}.")
  String name;

  @Option(
      names = "--runs",
      paramLabel = "FILE",
      description = "The runs file. Default: data.dir/sweep/<name>.csv.")
  Path runs;

  @Option(
      names = "--point",
      paramLabel = "I",
      split = ",",
      description = "Train only these points (numbered sizes first, from 0).")
  List<Integer> pointIndexes;

  @Option(
      names = "--shard",
      paramLabel = "I/K",
      description = "Train only the points whose number is I modulo K (one shard per machine).")
  String shard;

  @Override
  public Integer call() throws Exception {
    MillraceConfig config = millrace.config();
    SweepGrid grid = gridOptions.grid();
    List<SweepPoint> selected = grid.points();
    if (pointIndexes != null && shard != null) {
      throw new IllegalArgumentException("--point and --shard: give one or the other");
    } else if (pointIndexes != null) {
      selected = pointIndexes.stream().map(grid::point).toList();
    } else if (shard != null) {
      selected = grid.shard(shard);
    }
    Path runsFile = runs != null ? runs : config.dataDir().resolve("sweep").resolve(name + ".csv");
    PrintWriter out = spec.commandLine().getOut();
    LocalPipeline.ensureTopics(config);
    Tokenizer tokenizer = Tokenizers.load(config);
    SweepRunner runner = new SweepRunner(config, tokenizer, name, runsFile, out);
    boolean done;
    try (ShutdownSignal shutdown = new ShutdownSignal(runner::stop)) {
      done = runner.run(selected);
    }
    if (!done) {
      out.printf("stopped; run the same command again to go on%n");
      return 0;
    }
    long inFile = RunsCsv.rows(runsFile).size();
    if (inFile < grid.points().size()) {
      out.printf(
          "%d of the grid's %d points in %s; fit when the others are in (sweep fit --runs)%n",
          inFile, grid.points().size(), runsFile);
      return 0;
    }
    fitOptions.report(List.of(runsFile), out);
    return 0;
  }

  /** The fit's options, shared by {@code sweep} and {@code sweep fit}. */
  public static final class FitOptions {

    @Option(
        names = "--bootstrap",
        defaultValue = "200",
        description = "Bootstrap resamples for the intervals. Default: ${DEFAULT-VALUE}.")
    int resamples;

    @Option(
        names = "--seed",
        defaultValue = "1337",
        description = "Seed of the bootstrap. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
        names = "--flops",
        defaultValue = "0",
        description =
            "FLOP budget for the compute-optimal N and D (C = 6ND); default: the largest run's.")
    double flops;

    @Option(
        names = "--plot",
        paramLabel = "PREFIX",
        description =
            "Write the plot to PREFIX.png and PREFIX.svg. Default: 'scaling' beside the first"
                + " runs file (the dashboard shows data.dir/sweep/scaling.svg).")
    Path plot;

    void report(List<Path> files, PrintWriter out) throws Exception {
      List<org.millrace.cli.sweep.ScalingRun> all = new java.util.ArrayList<>();
      for (Path file : files) {
        all.addAll(RunsCsv.scalingRuns(file));
      }
      Path prefix = plot != null ? plot : files.get(0).toAbsolutePath().resolveSibling("scaling");
      ScalingReport.write(all, new ScalingReport.Options(resamples, seed, flops), prefix, out);
    }
  }

  /** {@code millrace sweep fit}. */
  @Command(
      name = "fit",
      mixinStandardHelpOptions = true,
      header = "Fit L(N, D) = E + A/N^alpha + B/D^beta to a table of runs.",
      description = {
        "As Hoffmann et al.'s third approach (docs/scaling.md): Huber loss on log loss from a grid"
            + " of starts,",
        "with bootstrap intervals, the compute-optimal N and D for a FLOP budget, and a plot. The"
            + " table is CSV",
        "with a header naming params, tokens and loss (other columns are ignored). The last lines"
            + " read",
        "E=, A=, B=, alpha=, beta=."
      })
  static final class Fit implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin FitOptions fitOptions;

    @Option(
        names = "--runs",
        required = true,
        paramLabel = "FILE",
        description = "A CSV table of runs; repeatable (one file per machine of a sweep).")
    List<Path> runs;

    @Override
    public Integer call() throws Exception {
      fitOptions.report(runs, spec.commandLine().getOut());
      return 0;
    }
  }
}
