/**
 * Training a {@link org.millrace.trainer.model.Gpt}: our own {@link
 * org.millrace.trainer.optim.AdamW} (whose state can be saved), global-norm {@link
 * org.millrace.trainer.optim.GradientClipping}, the warm-up and cosine {@link
 * org.millrace.trainer.optim.LearningRateSchedule}, and {@link
 * org.millrace.trainer.optim.GptTrainer}, which runs one optimisation step at a time.
 */
package org.millrace.trainer.optim;
