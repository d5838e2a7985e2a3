package org.millrace.schemas.reject;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Where an input record is in Kafka: enough to find it again while the topic retains it. */
public record Origin(String topic, int partition, long offset) {

  public static Origin of(ConsumerRecord<?, ?> record) {
    return new Origin(record.topic(), record.partition(), record.offset());
  }

  /** The id of a record whose own id cannot be read. */
  public String coordinates() {
    return Rejection.coordinates(topic, partition, offset);
  }
}
