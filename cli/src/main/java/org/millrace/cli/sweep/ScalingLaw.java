package org.millrace.cli.sweep;

/**
 * Hoffmann et al.'s parametric loss (arXiv:2203.15556, eq. 2): {@code L(N, D) = E + A/N^α + B/D^β},
 * where {@code N} counts parameters and {@code D} training tokens; {@code E} is the loss of an
 * ideal model on the data, the two other terms what a finite model and a finite run add.
 */
public record ScalingLaw(double e, double a, double b, double alpha, double beta) {

  /** The predicted loss of a model of {@code params} parameters trained on {@code tokens}. */
  public double loss(double params, double tokens) {
    return e + a / Math.pow(params, alpha) + b / Math.pow(tokens, beta);
  }

  /**
   * The model size and token count that minimise the loss for {@code flops} of training compute,
   * with {@code C ≈ 6ND} (Kaplan et al. 2020, section 2.1): Hoffmann et al.'s eq. 4, {@code N_opt =
   * G (C/6)^(β/(α+β))}, {@code D_opt = G⁻¹ (C/6)^(α/(α+β))}, {@code G = (αA / βB)^(1/(α+β))}.
   */
  public Allocation computeOptimal(double flops) {
    double g = Math.pow(alpha * a / (beta * b), 1 / (alpha + beta));
    double params = g * Math.pow(flops / 6, beta / (alpha + beta));
    double tokens = Math.pow(flops / 6, alpha / (alpha + beta)) / g;
    return new Allocation(params, tokens);
  }

  /** A compute-optimal model size and its training tokens. */
  public record Allocation(double params, double tokens) {

    public double tokensPerParam() {
      return tokens / params;
    }
  }
}
