/**
 * Training a model of the zoo: our own {@link org.millrace.trainer.optim.AdamW} (whose state can be
 * saved), global-norm {@link org.millrace.trainer.optim.GradientClipping}, the cosine, constant and
 * warm-up-stable-decay {@link org.millrace.trainer.optim.LearningRateSchedule}s, and {@link
 * org.millrace.trainer.optim.ModelTrainer}, which runs one optimisation step at a time, with gradient
 * accumulation.
 */
package org.millrace.trainer.optim;
