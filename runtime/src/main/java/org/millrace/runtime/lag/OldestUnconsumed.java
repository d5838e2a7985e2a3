package org.millrace.runtime.lag;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The timestamps of the oldest records a consumer group has not consumed yet: the first record at
 * or after each partition's committed offset. Lag in seconds is the age of that record, which tells
 * an operator more than lag in records: 10,000 small records may be a second of work, 10 large ones
 * an hour behind.
 */
public final class OldestUnconsumed {

  private OldestUnconsumed() {}

  /**
   * Reads one record at each given position with a consumer that belongs to no group (it commits
   * nothing and joins nothing), and returns its timestamp. A partition whose unconsumed offsets
   * hold only transaction markers (the consumer reaches {@code ends} without a record), or whose
   * record does not arrive within {@code timeout}, is left out.
   *
   * @param consumer a consumer with no group id, {@code read_committed}, {@code max.poll.records}
   *     small; its assignment is replaced
   * @param positions the first unconsumed offset of each lagging partition
   * @param ends the last stable offset of each of them
   */
  public static Map<TopicPartition, Long> timestamps(
      Consumer<byte[], byte[]> consumer,
      Map<TopicPartition, Long> positions,
      Map<TopicPartition, Long> ends,
      Duration timeout) {
    Map<TopicPartition, Long> timestamps = new HashMap<>();
    if (positions.isEmpty()) {
      return timestamps;
    }
    consumer.assign(List.copyOf(positions.keySet()));
    positions.forEach(consumer::seek);
    Set<TopicPartition> open = new HashSet<>(positions.keySet());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!open.isEmpty() && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (open.remove(partition)) {
          timestamps.put(partition, record.timestamp());
          consumer.pause(List.of(partition)); // one record per partition is all we need
        }
      }
      // Past the end with no record: only commit markers were left to read.
      open.removeIf(partition -> consumer.position(partition) >= ends.get(partition));
    }
    consumer.unsubscribe();
    return timestamps;
  }
}
