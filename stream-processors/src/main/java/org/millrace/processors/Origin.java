package org.millrace.processors;

import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.millrace.schemas.reject.Rejection;

/** Where an input record is in Kafka: enough to find it again while the topic retains it. */
public record Origin(String topic, int partition, long offset) {

  public static Origin of(RecordMetadata metadata) {
    return new Origin(metadata.topic(), metadata.partition(), metadata.offset());
  }

  /** The id of a record whose own id cannot be read. */
  public String coordinates() {
    return Rejection.coordinates(topic, partition, offset);
  }
}
