package org.millrace.cli.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class ScalingLawFitterTest {

  /** Hoffmann et al.'s published fit (arXiv:2203.15556, eq. 10). */
  private static final ScalingLaw CHINCHILLA = new ScalingLaw(1.69, 406.4, 410.7, 0.34, 0.28);

  /** Besiroglu et al.'s refit of the same data (arXiv:2404.10102, eq. 5). */
  private static final ScalingLaw EPOCH = new ScalingLaw(1.82, 482.01, 2085.43, 0.3478, 0.3658);

  private final ScalingLawFitter fitter = new ScalingLawFitter();

  @Test
  void recoversChinchillasLawWithinItsIntervals() {
    checkRecovery(CHINCHILLA, 1);
  }

  @Test
  void recoversEpochsRefitWithinItsIntervals() {
    checkRecovery(EPOCH, 2);
  }

  @Test
  void noiselessRunsGiveTheLawBack() {
    List<ScalingRun> runs = runsOf(CHINCHILLA, 0.0, 3);
    ScalingLaw fitted = fitter.fit(runs).law();
    assertThat(fitted.alpha()).isCloseTo(0.34, org.assertj.core.data.Offset.offset(0.01));
    assertThat(fitted.beta()).isCloseTo(0.28, org.assertj.core.data.Offset.offset(0.01));
    assertThat(fitted.e()).isCloseTo(1.69, org.assertj.core.data.Offset.offset(0.02));
    for (ScalingRun run : runs) {
      assertThat(fitted.loss(run.params(), run.tokens()))
          .isCloseTo(run.loss(), org.assertj.core.data.Percentage.withPercentage(0.2));
    }
  }

  @Test
  void computeOptimalAllocationSpendsTheBudgetAndBeatsItsNeighbours() {
    double flops = 5.76e23; // Chinchilla's budget
    ScalingLaw.Allocation optimal = CHINCHILLA.computeOptimal(flops);
    assertThat(6 * optimal.params() * optimal.tokens())
        .isCloseTo(flops, org.assertj.core.data.Percentage.withPercentage(1e-6));
    double best = CHINCHILLA.loss(optimal.params(), optimal.tokens());
    for (double factor : new double[] {0.8, 1.25}) {
      double params = optimal.params() * factor;
      assertThat(CHINCHILLA.loss(params, flops / (6 * params))).isGreaterThan(best);
    }
  }

  @Test
  void fewerRunsThanParametersAreRefused() {
    List<ScalingRun> runs = runsOf(CHINCHILLA, 0.0, 4).subList(0, 4);
    assertThatThrownBy(() -> fitter.fit(runs))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4 runs")
        .hasMessageContaining("at least 5");
  }

  private void checkRecovery(ScalingLaw truth, long seed) {
    List<ScalingRun> runs = runsOf(truth, 0.01, seed);
    ScalingLawFitter.Fit fit = fitter.fit(runs);
    List<ScalingLaw> samples = fitter.bootstrap(runs, fit, 60, 1337);
    assertWithin("E", ScalingLaw::e, truth, samples);
    assertWithin("A", ScalingLaw::a, truth, samples);
    assertWithin("B", ScalingLaw::b, truth, samples);
    assertWithin("alpha", ScalingLaw::alpha, truth, samples);
    assertWithin("beta", ScalingLaw::beta, truth, samples);
    // the intervals say something: an exponent's is narrower than the whole range of starts
    double[] alpha = interval(ScalingLaw::alpha, samples);
    assertThat(alpha[1] - alpha[0]).isLessThan(0.3);
  }

  private static void assertWithin(
      String name,
      ToDoubleFunction<ScalingLaw> parameter,
      ScalingLaw truth,
      List<ScalingLaw> samples) {
    double[] interval = interval(parameter, samples);
    assertThat(parameter.applyAsDouble(truth)).as(name).isBetween(interval[0], interval[1]);
  }

  private static double[] interval(
      ToDoubleFunction<ScalingLaw> parameter, List<ScalingLaw> samples) {
    return ScalingLawFitter.percentiles(
        samples.stream().mapToDouble(parameter).toArray(), 2.5, 97.5);
  }

  /**
   * Runs over Hoffmann et al.'s range (70M to 16B parameters, 5B to 500B tokens), their loss the
   * law's times a log-normal noise of standard deviation {@code noise}.
   */
  static List<ScalingRun> runsOf(ScalingLaw law, double noise, long seed) {
    Random random = new Random(seed);
    List<ScalingRun> runs = new ArrayList<>();
    for (double params : new double[] {7e7, 2e8, 5e8, 1.5e9, 5e9, 1.6e10}) {
      for (double tokens : new double[] {5e9, 1.5e10, 5e10, 1.5e11, 5e11}) {
        double loss = law.loss(params, tokens) * Math.exp(noise * random.nextGaussian());
        runs.add(new ScalingRun(params, tokens, loss));
      }
    }
    return runs;
  }
}
