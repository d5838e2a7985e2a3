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
      Origin origin,
      byte[] payload,
      int payloadMaxBytes) {
    return builder(id, stage, reason.code(), detail, payload, payloadMaxBytes)
        .setOriginTopic(origin.topic())
        .setOriginPartition(origin.partition())
        .setOriginOffset(origin.offset())
        .build();
  }

  /**
   * For a document of a Kafka topic that a quality filter dropped: the filter's own reason code,
   * what it measured and the threshold crossed.
   */
  public static RejectedDocument ofFilteredRecord(
      String id,
      String stage,
      FilterDrop drop,
      Origin origin,
      byte[] payload,
      int payloadMaxBytes) {
    return builder(id, stage, drop.reason(), drop.detail(), payload, payloadMaxBytes)
        .setFilter(drop.filter())
        .setMeasured(drop.measured())
        .setThreshold(drop.threshold())
        .setOriginTopic(origin.topic())
        .setOriginPartition(origin.partition())
        .setOriginOffset(origin.offset())
        .build();
  }

  /**
   * Why a quality filter dropped a document.
   *
   * @param filter the filter's name, for example {@code gopher_quality}
   * @param reason the filter's reason code, for example {@code gopher_too_few_words}
   * @param measured the value the filter measured
   * @param threshold the limit it crossed
   * @param detail a sentence for people, with the numbers
   */
  public record FilterDrop(
      String filter, String reason, double measured, double threshold, String detail) {}

  /** For input read outside Kafka, such as a line of a file the feeder reads. */
  public static RejectedDocument ofSource(
      String id,
      String stage,
      RejectReason reason,
      String detail,
      String source,
      byte[] payload,
      int payloadMaxBytes) {
    return builder(id, stage, reason.code(), detail, payload, payloadMaxBytes)
        .setOriginSource(source)
        .build();
  }

  /** The id of a record whose own id could not be read: where it is in Kafka. */
  public static String coordinates(String topic, int partition, long offset) {
    return topic + "/" + partition + "/" + offset;
  }

  private static RejectedDocument.Builder builder(
      String id, String stage, String reason, String detail, byte[] payload, int payloadMaxBytes) {
    byte[] kept =
        payload == null ? null : Arrays.copyOf(payload, Math.min(payload.length, payloadMaxBytes));
    return RejectedDocument.newBuilder()
        .setId(id)
        .setStage(stage)
        .setReason(reason)
        .setDetail(detail)
        .setPayload(kept == null ? null : ByteBuffer.wrap(kept))
        .setPayloadSize(payload == null ? 0 : payload.length)
        .setRejectedAt(Instant.now());
  }
}
