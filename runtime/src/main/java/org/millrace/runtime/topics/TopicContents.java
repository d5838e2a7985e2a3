package org.millrace.runtime.topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A topic read from its beginning to its end as it is when the reading starts, by a consumer that
 * joins no group (its partitions are assigned, not subscribed): what {@code tokenizer train --input
 * topic:NAME} reads, and what the tests read back.
 */
public final class TopicContents {

  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  private TopicContents() {}

  /** The topic's partitions, as the broker lists them. */
  public static List<TopicPartition> partitionsOf(Consumer<?, ?> consumer, String topic) {
    return consumer.partitionsFor(topic, METADATA_TIMEOUT).stream()
        .map(info -> new TopicPartition(topic, info.partition()))
        .toList();
  }

  /**
   * Gives every record of every partition, from the beginning to the end offsets of the moment, to
   * {@code each}, in the order polled.
   *
   * @param stall how long to wait without a record before giving up, with an {@link
   *     IllegalStateException} that names the ends not reached (a broker gone, say)
   */
  public static <K, V> void readToEnd(
      Consumer<K, V> consumer,
      String topic,
      Duration stall,
      java.util.function.Consumer<ConsumerRecord<K, V>> each) {
    List<TopicPartition> partitions = partitionsOf(consumer, topic);
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, METADATA_TIMEOUT);
    long lastRecord = System.nanoTime();
    while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
      if (System.nanoTime() - lastRecord > stall.toNanos()) {
        throw new IllegalStateException(
            "could not read " + topic + " to its end " + ends + ": no record for " + stall);
      }
      for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(200))) {
        lastRecord = System.nanoTime();
        each.accept(record);
      }
    }
  }
}
