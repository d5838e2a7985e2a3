/**
 * Checkpoint files of a {@link org.millrace.trainer.optim.ModelTrainer}: weights and optimizer state
 * as safetensors, the model's architecture and configuration as JSON.
 */
package org.millrace.trainer.checkpoint;
