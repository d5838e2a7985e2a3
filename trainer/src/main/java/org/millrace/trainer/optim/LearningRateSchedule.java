package org.millrace.trainer.optim;

/**
 * Linear warm-up to {@code maxLr}, then cosine decay to {@code minLr} at {@code decaySteps}, then
 * {@code minLr}: nanoGPT's {@code get_lr}, after GPT-3 (arXiv:2005.14165, appendix B).
 *
 * @param maxLr the peak learning rate, reached at the end of warm-up
 * @param minLr the floor, reached at {@code decaySteps}
 * @param warmupSteps number of steps of linear warm-up
 * @param decaySteps the step at which the cosine reaches {@code minLr}
 */
public record LearningRateSchedule(double maxLr, double minLr, long warmupSteps, long decaySteps) {

  /** Validates the ranges. */
  public LearningRateSchedule {
    if (!(maxLr > 0) || !(minLr >= 0) || minLr > maxLr) {
      throw new IllegalArgumentException(
          "Need 0 <= minLr <= maxLr and maxLr > 0, got minLr " + minLr + ", maxLr " + maxLr);
    }
    if (warmupSteps < 0 || decaySteps <= warmupSteps) {
      throw new IllegalArgumentException(
          "Need 0 <= warmupSteps < decaySteps, got " + warmupSteps + " and " + decaySteps);
    }
  }

  /** The learning rate of update number {@code step}, counting from 0 (nanoGPT's {@code it}). */
  public double lr(long step) {
    if (step < warmupSteps) {
      // (step + 1) so that the first update does not have a learning rate of 0
      return maxLr * (step + 1) / (warmupSteps + 1);
    }
    if (step > decaySteps) {
      return minLr;
    }
    double decayRatio = (double) (step - warmupSteps) / (decaySteps - warmupSteps);
    double coefficient = 0.5 * (1.0 + Math.cos(Math.PI * decayRatio));
    return minLr + coefficient * (maxLr - minLr);
  }
}
