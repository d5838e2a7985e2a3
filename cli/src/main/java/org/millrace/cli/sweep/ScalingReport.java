package org.millrace.cli.sweep;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What {@code millrace sweep fit} prints: the fitted law with bootstrap intervals, the
 * compute-optimal allocation for a FLOP budget, the plot's files, and last the five parameters one
 * a line, {@code E=…}, for scripts.
 */
public final class ScalingReport {

  /** The bootstrap's resamples and seed, and the FLOP budget (0: the largest run's {@code 6ND}). */
  public record Options(int resamples, long seed, double flops) {}

  private ScalingReport() {}

  public static void write(List<ScalingRun> runs, Options options, Path plotPrefix, PrintWriter out)
      throws IOException {
    ScalingLawFitter fitter = new ScalingLawFitter();
    ScalingLawFitter.Fit fit = fitter.fit(runs);
    ScalingLaw law = fit.law();
    List<ScalingLaw> samples = fitter.bootstrap(runs, fit, options.resamples(), options.seed());
    long sizes = runs.stream().mapToDouble(ScalingRun::params).distinct().count();
    long budgets = runs.stream().mapToDouble(ScalingRun::tokens).distinct().count();
    out.printf(
        "%d runs (%d model sizes, %d token counts); Huber loss (delta %.0e) on log loss,"
            + " minimised from %d starts: %.4g%n",
        runs.size(), sizes, budgets, HuberLogLoss.DELTA, fit.starts(), fit.objective());
    out.printf(
        "%-10s %12s   95%% interval (%d bootstrap resamples, seed %d)%n",
        "parameter", "estimate", options.resamples(), options.seed());
    row(out, "E", ScalingLaw::e, law, samples);
    row(out, "A", ScalingLaw::a, law, samples);
    row(out, "B", ScalingLaw::b, law, samples);
    row(out, "alpha", ScalingLaw::alpha, law, samples);
    row(out, "beta", ScalingLaw::beta, law, samples);

    double flops = options.flops();
    if (flops <= 0) {
      flops = runs.stream().mapToDouble(run -> 6 * run.params() * run.tokens()).max().orElseThrow();
    }
    double budget = flops;
    ScalingLaw.Allocation optimal = law.computeOptimal(budget);
    out.printf(
        Locale.ROOT,
        "compute-optimal for C = %.3g FLOPs (C = 6ND)%s:%n",
        budget,
        options.flops() > 0 ? "" : ", the largest run's");
    row(out, "N_opt", l -> l.computeOptimal(budget).params(), law, samples);
    row(out, "D_opt", l -> l.computeOptimal(budget).tokens(), law, samples);
    row(out, "D/N", l -> l.computeOptimal(budget).tokensPerParam(), law, samples);
    out.printf(
        Locale.ROOT, "predicted loss there: %.4f%n", law.loss(optimal.params(), optimal.tokens()));
    List<Path> plots = new ScalingLawPlot(runs, law).write(plotPrefix);
    out.printf("plot: %s, %s%n", plots.get(0), plots.get(1));
    out.printf(Locale.ROOT, "tokens_per_param=%.6g%n", optimal.tokensPerParam());
    out.printf(Locale.ROOT, "E=%.6g%n", law.e());
    out.printf(Locale.ROOT, "A=%.6g%n", law.a());
    out.printf(Locale.ROOT, "B=%.6g%n", law.b());
    out.printf(Locale.ROOT, "alpha=%.6g%n", law.alpha());
    out.printf(Locale.ROOT, "beta=%.6g%n", law.beta());
    out.flush();
  }

  private static void row(
      PrintWriter out,
      String name,
      ToDoubleFunction<ScalingLaw> value,
      ScalingLaw law,
      List<ScalingLaw> samples) {
    double[] interval =
        ScalingLawFitter.percentiles(samples.stream().mapToDouble(value).toArray(), 2.5, 97.5);
    out.printf(
        Locale.ROOT,
        "%-10s %12.5g   [%.5g, %.5g]%n",
        name,
        value.applyAsDouble(law),
        interval[0],
        interval[1]);
  }
}
