package org.millrace.cli.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunctionGradient;
import org.apache.commons.math3.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer;

/**
 * Fits a {@link ScalingLaw} to runs as Hoffmann et al.'s third approach does (arXiv:2203.15556,
 * appendix D.2): minimise the {@link HuberLogLoss} from a grid of starts and keep the best minimum.
 * The grid is theirs, which Besiroglu et al.'s replication (Epoch AI, arXiv:2404.10102) reuses: α,
 * β ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1}, a, b ∈ {0, 5, …, 25}.
 *
 * <p>Hoffmann et al. minimise with L-BFGS. No maintained Java library with a licence we can ship
 * offers L-BFGS on Maven Central (Apache Commons Math 3.6.1 has none; Smile's is GPL), so this uses
 * Commons Math's nonlinear conjugate gradient (Polak–Ribière) with the exact gradient: also a
 * first-order method for smooth objectives without a Hessian, needing more line searches than
 * L-BFGS for the same minimum. Besiroglu et al. found that Hoffmann et al.'s optimizer stopped
 * early because the summed Huber loss is tiny; the tolerances here are set for that scale.
 *
 * <p>Hoffmann et al. minimise from every point of the grid. Here the objective is evaluated at all
 * 4,500 points (cheap) and minimised from the {@value #FIT_STARTS} best of them (minimising from
 * every point took two minutes on our loaded 2-core machine, and the best minimum came from the
 * best starts). {@link #bootstrap} resamples the runs with replacement and fits each resample from
 * its {@value #BOOTSTRAP_STARTS} best grid points and from the fit of all runs.
 */
public final class ScalingLawFitter {

  private static final double[] EXPONENT_STARTS = {0, 0.5, 1, 1.5, 2};
  private static final double[] E_STARTS = {-1, -0.5, 0, 0.5, 1};
  private static final double[] COEFFICIENT_STARTS = {0, 5, 10, 15, 20, 25};

  /** Starts minimised from for a fit: the best points of the grid. */
  static final int FIT_STARTS = 64;

  /** Starts minimised from in each bootstrap resample: the best of the grid on that resample. */
  static final int BOOTSTRAP_STARTS = 4;

  private static final int MAX_ITERATIONS = 1000;

  /** The best minimum found, its objective and how many starts were minimised from. */
  public record Fit(ScalingLaw law, double objective, int starts) {}

  /** A fit from the best points of the grid. */
  public Fit fit(List<ScalingRun> runs) {
    requireEnoughRuns(runs);
    HuberLogLoss objective = new HuberLogLoss(runs);
    return minimiseFrom(objective, bestStarts(objective, FIT_STARTS));
  }

  /**
   * The laws fitted to {@code resamples} resamples of the runs (drawn with replacement, as many as
   * there are runs) with a fixed seed; {@code best} is the fit of all runs, one more start for
   * each.
   */
  public List<ScalingLaw> bootstrap(List<ScalingRun> runs, Fit best, int resamples, long seed) {
    requireEnoughRuns(runs);
    Random random = new Random(seed);
    List<ScalingLaw> laws = new ArrayList<>(resamples);
    for (int r = 0; r < resamples; r++) {
      List<ScalingRun> resample = new ArrayList<>(runs.size());
      for (int i = 0; i < runs.size(); i++) {
        resample.add(runs.get(random.nextInt(runs.size())));
      }
      HuberLogLoss objective = new HuberLogLoss(resample);
      List<double[]> starts = bestStarts(objective, BOOTSTRAP_STARTS);
      starts.add(point(best.law()));
      laws.add(minimiseFrom(objective, starts).law());
    }
    return laws;
  }

  private static void requireEnoughRuns(List<ScalingRun> runs) {
    if (runs.size() < 5) {
      throw new IllegalArgumentException(
          runs.size()
              + " runs: fitting L(N, D) = E + A/N^alpha + B/D^beta needs at least 5 (one per"
              + " parameter), and many more for a fit worth reading");
    }
  }

  private static Fit minimiseFrom(HuberLogLoss objective, List<double[]> starts) {
    PointValuePair best = null;
    for (double[] start : starts) {
      PointValuePair minimum;
      try {
        minimum =
            newOptimizer()
                .optimize(
                    new MaxEval(200_000),
                    new ObjectiveFunction(objective::value),
                    new ObjectiveFunctionGradient(objective::gradient),
                    GoalType.MINIMIZE,
                    new InitialGuess(start));
      } catch (MathIllegalStateException failed) {
        continue; // a line search that found no bracket: the other starts decide
      }
      if (Double.isFinite(minimum.getValue())
          && (best == null || minimum.getValue() < best.getValue())) {
        best = minimum;
      }
    }
    if (best == null) {
      throw new IllegalStateException("the optimizer found no minimum from any start");
    }
    double[] x = best.getPoint();
    return new Fit(
        new ScalingLaw(Math.exp(x[2]), Math.exp(x[0]), Math.exp(x[1]), x[3], x[4]),
        best.getValue(),
        starts.size());
  }

  private static NonLinearConjugateGradientOptimizer newOptimizer() {
    return new NonLinearConjugateGradientOptimizer(
        NonLinearConjugateGradientOptimizer.Formula.POLAK_RIBIERE,
        new SimpleValueChecker(1e-10, 1e-15, MAX_ITERATIONS),
        1e-10,
        1e-12,
        1e-2);
  }

  /** The point {@code (a, b, e, α, β)} of a law. */
  private static double[] point(ScalingLaw law) {
    return new double[] {
      Math.log(law.a()), Math.log(law.b()), Math.log(law.e()), law.alpha(), law.beta()
    };
  }

  /** The {@code count} points of the grid where the objective is lowest. */
  private static List<double[]> bestStarts(HuberLogLoss objective, int count) {
    return new ArrayList<>(
        grid().stream().sorted(Comparator.comparingDouble(objective::value)).limit(count).toList());
  }

  static List<double[]> grid() {
    List<double[]> grid = new ArrayList<>();
    for (double a : COEFFICIENT_STARTS) {
      for (double b : COEFFICIENT_STARTS) {
        for (double e : E_STARTS) {
          for (double alpha : EXPONENT_STARTS) {
            for (double beta : EXPONENT_STARTS) {
              grid.add(new double[] {a, b, e, alpha, beta});
            }
          }
        }
      }
    }
    return grid;
  }

  /** The {@code low} and {@code high} percentiles of {@code values}. */
  public static double[] percentiles(double[] values, double low, double high) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return new double[] {percentile(sorted, low), percentile(sorted, high)};
  }

  private static double percentile(double[] sorted, double p) {
    double position = p / 100 * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(sorted.length - 1, below + 1);
    return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
  }
}
