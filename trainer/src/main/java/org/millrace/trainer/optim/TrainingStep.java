package org.millrace.trainer.optim;

/**
 * What one call of {@link ModelTrainer#step} did, for the training log.
 *
 * @param step the number of updates made so far, this one included (1 after the first)
 * @param loss the objective's mean cross-entropy over the batch (next token, or masked tokens),
 *     before the update
 * @param gradientNorm global L2 norm of the gradients, before clipping
 * @param learningRate the learning rate this update used
 */
public record TrainingStep(long step, float loss, float gradientNorm, double learningRate) {}
