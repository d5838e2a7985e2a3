package org.millrace.trainer.optim;

/**
 * Hyper-parameters of {@link AdamW} other than the learning rate, which comes from the {@link
 * LearningRateSchedule}.
 *
 * @param beta1 decay of the first moment (mean of gradients)
 * @param beta2 decay of the second moment (mean of squared gradients)
 * @param epsilon added to the square root of the second moment, for numerical stability
 * @param weightDecay decoupled weight decay, applied to matrices only
 */
public record AdamWConfig(double beta1, double beta2, double epsilon, double weightDecay) {

  /** Validates the ranges. */
  public AdamWConfig {
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException(
          "beta1 and beta2 must be in [0, 1), were " + beta1 + " and " + beta2);
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("epsilon must be positive, was " + epsilon);
    }
    if (!(weightDecay >= 0)) {
      throw new IllegalArgumentException("weightDecay must not be negative, was " + weightDecay);
    }
  }

  /**
   * The values GPT-3 was trained with (arXiv:2005.14165, appendix B) and nanoGPT's {@code train.py}
   * uses: betas 0.9 and 0.95, epsilon 1e-8, weight decay 0.1.
   */
  public static AdamWConfig gpt3() {
    return new AdamWConfig(0.9, 0.95, 1e-8, 0.1);
  }
}
