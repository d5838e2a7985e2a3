package org.millrace.schemas.reject;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.millrace.schemas.RejectedDocument;

/**
 * Builds the {@link RejectedDocument} for a record a stage refuses: the reason, a sentence for
 * people, where the record was, and its payload cut to a configured maximum.
 */
public final class Rejection {

  private Rejection() {}

  /**
   * For a record read from a Kafka topic: the coordinates find the original while it is retained.
   */
  public static RejectedDocument ofRecord(
      String id,
      String stage,
      RejectReason reason,
      String detail,
      String topic,
      int partition,
      long offset,
      byte[] payload,
      int payloadMaxBytes) {
    return builder(id, stage, reason, detail, payload, payloadMaxBytes)
        .setOriginTopic(topic)
        .setOriginPartition(partition)
        .setOriginOffset(offset)
        .build();
  }

  /** For input read outside Kafka, such as a line of a file the feeder reads. */
  public static RejectedDocument ofSource(
      String id,
      String stage,
      RejectReason reason,
      String detail,
      String source,
      byte[] payload,
      int payloadMaxBytes) {
    return builder(id, stage, reason, detail, payload, payloadMaxBytes)
        .setOriginSource(source)
        .build();
  }

  /** The id of a record whose own id could not be read: where it is in Kafka. */
  public static String coordinates(String topic, int partition, long offset) {
    return topic + "/" + partition + "/" + offset;
  }

  private static RejectedDocument.Builder builder(
      String id,
      String stage,
      RejectReason reason,
      String detail,
      byte[] payload,
      int payloadMaxBytes) {
    byte[] kept =
        payload == null ? null : Arrays.copyOf(payload, Math.min(payload.length, payloadMaxBytes));
    return RejectedDocument.newBuilder()
        .setId(id)
        .setStage(stage)
        .setReason(reason.code())
        .setDetail(detail)
        .setPayload(kept == null ? null : ByteBuffer.wrap(kept))
        .setPayloadSize(payload == null ? 0 : payload.length)
        .setRejectedAt(Instant.now());
  }
}
