package org.millrace.trainer.optim;

/**
 * The learning rate of each update: a linear warm-up to {@code maxLr} over {@code warmupSteps}, a
 * plateau at {@code maxLr} until {@code decayStart}, a decay of the given shape to {@code minLr} at
 * {@code decayEnd}, then {@code minLr}. The three schedules the trainer offers are this with
 * different phases: {@link #cosine} (no plateau), {@link #warmupStableDecay} (a long plateau, a
 * short decay) and {@link #constant} (no decay).
 *
 * @param maxLr the peak learning rate, reached at the end of warm-up
 * @param minLr the floor, reached at {@code decayEnd}
 * @param warmupSteps number of steps of linear warm-up
 * @param decayStart the step at which the decay begins, from {@code maxLr}
 * @param decayEnd the step at which the decay reaches {@code minLr}
 * @param decay the shape of the decay
 */
public record LearningRateSchedule(
    double maxLr, double minLr, long warmupSteps, long decayStart, long decayEnd, Decay decay) {

  /** How the learning rate falls from {@code maxLr} to {@code minLr}. */
  public enum Decay {
    /** Half a cosine period (Loshchilov and Hutter 2017, arXiv:1608.03983; GPT-3; nanoGPT). */
    COSINE,
    /** A straight line, the cool-down that Hägele et al. 2024 (arXiv:2405.18392) find works. */
    LINEAR
  }

  /** Validates the ranges. */
  public LearningRateSchedule {
    if (!(maxLr > 0) || !(minLr >= 0) || minLr > maxLr) {
      throw new IllegalArgumentException(
          "Need 0 <= minLr <= maxLr and maxLr > 0, got minLr " + minLr + ", maxLr " + maxLr);
    }
    if (warmupSteps < 0 || decayStart < warmupSteps || decayEnd < decayStart) {
      throw new IllegalArgumentException(
          "Need 0 <= warmupSteps <= decayStart <= decayEnd, got "
              + warmupSteps
              + ", "
              + decayStart
              + " and "
              + decayEnd);
    }
  }

  /** The cosine schedule, {@link #cosine}. */
  public LearningRateSchedule(double maxLr, double minLr, long warmupSteps, long decaySteps) {
    this(maxLr, minLr, warmupSteps, warmupSteps, decaySteps, Decay.COSINE);
  }

  /**
   * Linear warm-up, then cosine decay from {@code maxLr} to {@code minLr} at {@code decaySteps},
   * then {@code minLr}: nanoGPT's {@code get_lr}, after GPT-3 (arXiv:2005.14165, appendix B).
   */
  public static LearningRateSchedule cosine(
      double maxLr, double minLr, long warmupSteps, long decaySteps) {
    return new LearningRateSchedule(maxLr, minLr, warmupSteps, decaySteps);
  }

  /** Linear warm-up to {@code lr}, then {@code lr} for ever: a decay that never starts. */
  public static LearningRateSchedule constant(double lr, long warmupSteps) {
    return new LearningRateSchedule(
        lr, lr, warmupSteps, Long.MAX_VALUE, Long.MAX_VALUE, Decay.LINEAR);
  }

  /**
   * Warm-up, stable, decay (WSD; Hu et al. 2024, MiniCPM, arXiv:2404.06395, section 4): linear
   * warm-up, {@code maxLr} until the last {@code decayFraction} of {@code totalSteps}, then a
   * linear decay to {@code minLr} at {@code totalSteps}. Unlike the cosine, the rate stays high for
   * most of the run, and a run can be extended from any checkpoint of the plateau; MiniCPM decays
   * over about 10% of the steps (exponentially; Hägele et al. 2024 find a linear cool-down of
   * 10-20% matches a cosine).
   */
  public static LearningRateSchedule warmupStableDecay(
      double maxLr, double minLr, long warmupSteps, long totalSteps, double decayFraction) {
    if (!(decayFraction > 0 && decayFraction <= 1)) {
      throw new IllegalArgumentException("decayFraction must be in (0, 1], was " + decayFraction);
    }
    long decayStart = totalSteps - Math.round(decayFraction * totalSteps);
    return new LearningRateSchedule(
        maxLr, minLr, warmupSteps, decayStart, totalSteps, Decay.LINEAR);
  }

  /** The learning rate of update number {@code step}, counting from 0 (nanoGPT's {@code it}). */
  public double lr(long step) {
    if (step < warmupSteps) {
      // (step + 1) so that the first update does not have a learning rate of 0
      return maxLr * (step + 1) / (warmupSteps + 1);
    }
    if (step < decayStart) {
      return maxLr;
    }
    if (step >= decayEnd) {
      return minLr;
    }
    double progress = (double) (step - decayStart) / (decayEnd - decayStart);
    double coefficient =
        switch (decay) {
          case COSINE -> 0.5 * (1.0 + Math.cos(Math.PI * progress));
          case LINEAR -> 1.0 - progress;
        };
    return minLr + coefficient * (maxLr - minLr);
  }
}
