package org.millrace.trainer.stream;

import org.apache.kafka.common.TopicPartition;

/**
 * Retention deleted token records the trainer had not trained on yet. Training on as if nothing
 * happened would skip them silently; the trainer stops instead, unless {@code
 * trainer.retention.skip} says to go on (and then it counts and reports what it skipped).
 */
public final class RetentionException extends RuntimeException {

  public RetentionException(TopicPartition partition, long nextOffset, long logStartOffset) {
    super(
        "retention deleted token records not yet trained on: "
            + partition
            + " must resume at offset "
            + nextOffset
            + " but its log now starts at "
            + logStartOffset
            + " ("
            + (logStartOffset - nextOffset)
            + " records gone). Raise topics.tokens.retention.ms, or set trainer.retention.skip=true"
            + " to go on without them");
  }
}
