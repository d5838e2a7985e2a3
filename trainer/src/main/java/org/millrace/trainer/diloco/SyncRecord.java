package org.millrace.trainer.diloco;

/**
 * A record of the trainer.sync topic, through which the workers of a DiLoCo run exchange their
 * pseudo-gradients ({@link SyncRecords} writes and reads them).
 */
public sealed interface SyncRecord permits SyncRecord.PseudoGradientChunk, SyncRecord.RoundClose {

  /** The run whose round this record belongs to; records of other runs are passed over. */
  String runId();

  /** The round, counted from 1. */
  long round();

  /**
   * One chunk of one worker's pseudo-gradient for a round.
   *
   * @param attempt tells apart two publications of the same contribution (a worker that restarted
   *     and sent its round again): chunks are assembled per worker and attempt
   * @param chunk this chunk's index, 0 to chunks − 1
   * @param firstValue the index, in the flattened pseudo-gradient, of this chunk's first value
   * @param totalValues the size of the whole flattened pseudo-gradient
   */
  record PseudoGradientChunk(
      String runId,
      long round,
      int worker,
      long attempt,
      int chunk,
      int chunks,
      int firstValue,
      int totalValues,
      float[] values)
      implements SyncRecord {}

  /**
   * A worker's decision that its round timeout passed: the round closes here with the contributions
   * complete before this record, if they are at least the quorum (docs/operations.md).
   */
  record RoundClose(String runId, long round, int worker) implements SyncRecord {}
}
