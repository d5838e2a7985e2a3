package org.millrace.trainer.checkpoint;

/**
 * The trainer's own counters in a checkpoint, beside the model, the optimizer and the stream
 * position.
 *
 * @param runId the run this checkpoint belongs to
 * @param step optimizer steps taken
 * @param tokensTrained input tokens trained on so far
 * @param tokenizerFingerprint the tokenizer the model was trained with; a resumed run refuses
 *     another
 * @param firstLoss the loss of the run's first step, to show progress against
 */
public record TrainerState(
    String runId, long step, long tokensTrained, String tokenizerFingerprint, float firstLoss) {}
