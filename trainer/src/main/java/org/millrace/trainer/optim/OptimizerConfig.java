package org.millrace.trainer.optim;

/**
 * How a {@link ModelTrainer} optimises: AdamW's hyper-parameters, the learning-rate schedule, the
 * gradient-clipping threshold and the gradient accumulation.
 *
 * @param adamW betas, epsilon and weight decay
 * @param learningRate the learning rate as a function of the step
 * @param maxGradientNorm global L2 norm above which gradients are scaled down; nanoGPT uses 1.0
 * @param gradientAccumulationSteps micro-batches per optimizer step: each step's batch is cut into
 *     this many equal slices of rows, run forward and backward one after the other, so that the
 *     activations of one slice only are held at a time; the update is the one the whole batch gives
 *     (nanoGPT's {@code gradient_accumulation_steps})
 */
public record OptimizerConfig(
    AdamWConfig adamW,
    LearningRateSchedule learningRate,
    float maxGradientNorm,
    int gradientAccumulationSteps) {

  /** Validates the clipping threshold and the accumulation. */
  public OptimizerConfig {
    if (!(maxGradientNorm > 0)) {
      throw new IllegalArgumentException(
          "maxGradientNorm must be positive, was " + maxGradientNorm);
    }
    if (gradientAccumulationSteps < 1) {
      throw new IllegalArgumentException(
          "gradientAccumulationSteps must be at least 1, was " + gradientAccumulationSteps);
    }
  }

  /** Without gradient accumulation: one forward and backward pass per step. */
  public OptimizerConfig(
      AdamWConfig adamW, LearningRateSchedule learningRate, float maxGradientNorm) {
    this(adamW, learningRate, maxGradientNorm, 1);
  }
}
