package org.millrace.trainer.optim;

/**
 * What one call of {@link GptTrainer#step} did, for the training log.
 *
 * @param step the number of updates made so far, this one included (1 after the first)
 * @param loss mean next-token cross-entropy of the batch, before the update
 * @param gradientNorm global L2 norm of the gradients, before clipping
 * @param learningRate the learning rate this update used
 */
public record TrainingStep(long step, float loss, float gradientNorm, double learningRate) {}
