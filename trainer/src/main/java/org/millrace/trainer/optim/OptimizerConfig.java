package org.millrace.trainer.optim;

/**
 * How a {@link GptTrainer} optimises: AdamW's hyper-parameters, the learning-rate schedule and the
 * gradient-clipping threshold.
 *
 * @param adamW betas, epsilon and weight decay
 * @param learningRate the learning rate as a function of the step
 * @param maxGradientNorm global L2 norm above which gradients are scaled down; nanoGPT uses 1.0
 */
public record OptimizerConfig(
    AdamWConfig adamW, LearningRateSchedule learningRate, float maxGradientNorm) {

  /** Validates the clipping threshold. */
  public OptimizerConfig {
    if (!(maxGradientNorm > 0)) {
      throw new IllegalArgumentException(
          "maxGradientNorm must be positive, was " + maxGradientNorm);
    }
  }
}
