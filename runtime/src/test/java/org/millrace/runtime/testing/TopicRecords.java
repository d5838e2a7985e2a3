package org.millrace.runtime.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.millrace.runtime.topics.TopicContents;

/** Test helper: every committed record of a topic right now, read from a real broker. */
public final class TopicRecords {

  private TopicRecords() {}

  public static List<ConsumerRecord<byte[], byte[]>> readAll(
      String bootstrapServers, String topic) {
    return readAll(bootstrapServers, topic, "read_committed");
  }

  /**
   * Every record of a topic right now as a consumer of this {@code isolation.level} sees it: {@code
   * read_uncommitted} also returns the records of aborted and open transactions.
   */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(
      String bootstrapServers, String topic, String isolationLevel) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
    properties.put(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    properties.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return readAll(properties, topic);
  }

  /**
   * As {@link #readAll(String, String)}, with a consumer of these properties (byte arrays, for a
   * secured cluster its credentials).
   */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(
      Properties consumerProperties, String topic) {
    Properties properties = new Properties();
    properties.putAll(consumerProperties);
    properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024 * 1024);
    properties.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
      if ("read_committed".equals(properties.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG))) {
        awaitCommitMarkers(consumer, properties, topic);
      }
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      TopicContents.readToEnd(consumer, topic, Duration.ofSeconds(60), records::add);
      records.sort(
          Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition)
              .thenComparingLong(ConsumerRecord::offset));
      return records;
    }
  }

  /**
   * Waits, for a few seconds at most, until the last stable offsets reach the high watermarks: a
   * transaction's commit returns to its producer before the coordinator has written the commit
   * markers, so a read_committed reader started right after a {@code commitTransaction()} may still
   * see the committed records as open, and read none of them. A transaction that is really open (a
   * stage mid-commit, a killed producer) is not waited for beyond that.
   */
  private static void awaitCommitMarkers(
      KafkaConsumer<byte[], byte[]> committed, Properties properties, String topic) {
    Properties uncommitted = new Properties();
    uncommitted.putAll(properties);
    uncommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    try (KafkaConsumer<byte[], byte[]> all = new KafkaConsumer<>(uncommitted)) {
      List<TopicPartition> partitions = TopicContents.partitionsOf(all, topic);
      Map<TopicPartition, Long> highWatermarks = all.endOffsets(partitions, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < deadline) {
        Map<TopicPartition, Long> stable = committed.endOffsets(partitions, Duration.ofSeconds(30));
        if (partitions.stream().allMatch(p -> stable.get(p) >= highWatermarks.get(p))) {
          return;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
