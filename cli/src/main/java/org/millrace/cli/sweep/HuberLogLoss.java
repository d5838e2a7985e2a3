package org.millrace.cli.sweep;

import java.util.List;

/**
 * Hoffmann et al.'s objective for fitting a {@link ScalingLaw} (arXiv:2203.15556, appendix D.2):
 * the Huber loss, with δ = 10⁻³, of the difference between the predicted and the observed log-loss,
 * summed over the runs. The prediction is written as a log-sum-exp, {@code log L̂ = LSE(a − α log
 * N, b − β log D, e)} with {@code A = exp a}, {@code B = exp b}, {@code E = exp e}, which keeps the
 * three terms positive and the arithmetic stable for any value of the five unknowns.
 *
 * <p>The point {@code x} is {@code (a, b, e, α, β)}; {@link #gradient} is exact, for the optimizer.
 */
final class HuberLogLoss {

  /**
   * Hoffmann et al.'s δ: small, so that runs the law fits badly weigh as in a least-absolute fit.
   */
  static final double DELTA = 1e-3;

  private final double[] logParams;
  private final double[] logTokens;
  private final double[] logLoss;

  HuberLogLoss(List<ScalingRun> runs) {
    int n = runs.size();
    logParams = new double[n];
    logTokens = new double[n];
    logLoss = new double[n];
    for (int i = 0; i < n; i++) {
      logParams[i] = Math.log(runs.get(i).params());
      logTokens[i] = Math.log(runs.get(i).tokens());
      logLoss[i] = Math.log(runs.get(i).loss());
    }
  }

  double value(double[] x) {
    double sum = 0;
    for (int i = 0; i < logLoss.length; i++) {
      sum += huber(residual(x, i, null));
    }
    return sum;
  }

  double[] gradient(double[] x) {
    double[] gradient = new double[5];
    double[] weights = new double[3];
    for (int i = 0; i < logLoss.length; i++) {
      double slope = huberSlope(residual(x, i, weights));
      gradient[0] += slope * weights[0];
      gradient[1] += slope * weights[1];
      gradient[2] += slope * weights[2];
      gradient[3] -= slope * weights[0] * logParams[i];
      gradient[4] -= slope * weights[1] * logTokens[i];
    }
    return gradient;
  }

  /**
   * Predicted minus observed log-loss of run {@code i}; fills {@code weights} (when given) with the
   * softmax of the three terms, the derivatives of the log-sum-exp.
   */
  private double residual(double[] x, int i, double[] weights) {
    double t0 = x[0] - x[3] * logParams[i];
    double t1 = x[1] - x[4] * logTokens[i];
    double t2 = x[2];
    double max = Math.max(t0, Math.max(t1, t2));
    double e0 = Math.exp(t0 - max);
    double e1 = Math.exp(t1 - max);
    double e2 = Math.exp(t2 - max);
    double total = e0 + e1 + e2;
    if (weights != null) {
      weights[0] = e0 / total;
      weights[1] = e1 / total;
      weights[2] = e2 / total;
    }
    return max + Math.log(total) - logLoss[i];
  }

  private static double huber(double r) {
    double abs = Math.abs(r);
    return abs <= DELTA ? 0.5 * r * r : DELTA * (abs - 0.5 * DELTA);
  }

  private static double huberSlope(double r) {
    return Math.abs(r) <= DELTA ? r : Math.copySign(DELTA, r);
  }
}
