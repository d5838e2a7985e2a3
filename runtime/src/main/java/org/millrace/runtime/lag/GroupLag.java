package org.millrace.runtime.lag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer group's lag on one topic, per partition: in records (the last stable offset minus the
 * position read to, as {@code kafka-consumer-groups.sh --describe} computes it from the committed
 * offset) and in time (the timestamp of the oldest unread record, see {@link OldestUnconsumed}).
 *
 * <p>The position read to is the committed offset, unless the consumer reports a position of its
 * own beyond it: the trainer commits only at checkpoints, and publishes where it has read in its
 * progress records, so that the records it read since its last checkpoint are not counted as
 * waiting. Offsets are read in the order that keeps lag from going negative: committed offsets
 * first, end offsets last.
 *
 * @param group the consumer group
 * @param topic its input topic
 * @param partitions one entry per partition of the topic, in partition order
 */
public record GroupLag(String group, String topic, List<PartitionLag> partitions) {

  /**
   * @param committed the group's committed offset, or null when it has none
   * @param position where the group has read to: its committed offset or the position its consumer
   *     reported, whichever is further (0 when neither)
   * @param end the last stable offset (records of open transactions are not counted yet)
   * @param lag end minus position, at least 0
   * @param oldestUnconsumedTimestamp the timestamp (ms) of the first record not consumed, or null
   *     when there is none (no lag) or it could not be read
   */
  public record PartitionLag(
      int partition,
      Long committed,
      long position,
      long end,
      long lag,
      Long oldestUnconsumedTimestamp) {

    /** Records read but not committed: for the trainer, what a crash would make it read again. */
    public long uncommitted() {
      return position - (committed == null ? 0 : committed);
    }

    /**
     * How far behind the group is in time: the age of the oldest unconsumed record; 0 without lag.
     */
    public double lagSeconds(long nowMillis) {
      if (lag == 0 || oldestUnconsumedTimestamp == null) {
        return 0;
      }
      return Math.max(0, nowMillis - oldestUnconsumedTimestamp) / 1000.0;
    }
  }

  /** Records read but not committed, summed over partitions. */
  public long totalUncommitted() {
    return partitions.stream().mapToLong(PartitionLag::uncommitted).sum();
  }

  public long totalLag() {
    return partitions.stream().mapToLong(PartitionLag::lag).sum();
  }

  /** The largest lag in seconds over the partitions: how old the oldest unconsumed record is. */
  public double maxLagSeconds(long nowMillis) {
    return partitions.stream().mapToDouble(p -> p.lagSeconds(nowMillis)).max().orElse(0);
  }

  /**
   * Reads the lag of {@code group} on {@code topic}.
   *
   * @param consumer a consumer with no group (see {@link OldestUnconsumed}) to read timestamps
   * @throws TimeoutException when the cluster does not answer within {@code timeout}
   */
  public static GroupLag read(
      Admin admin, Consumer<byte[], byte[]> consumer, String group, String topic, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    return read(admin, consumer, group, topic, () -> Map.of(), timeout);
  }

  /**
   * Reads the lag of {@code group} on {@code topic}, counting from the positions {@code
   * readPositions} gives where they are beyond the committed offsets; it is asked after the
   * committed offsets and before the end offsets.
   */
  public static GroupLag read(
      Admin admin,
      Consumer<byte[], byte[]> consumer,
      String group,
      String topic,
      Supplier<Map<TopicPartition, Long>> readPositions,
      Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    int partitionCount =
        get(admin.describeTopics(List.of(topic)).allTopicNames(), timeout)
            .get(topic)
            .partitions()
            .size();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitionCount; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<TopicPartition, OffsetAndMetadata> committed =
        get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), timeout);
    Map<TopicPartition, Long> positions = readPositions.get();
    Map<TopicPartition, Long> ends = new HashMap<>();
    get(
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all(),
            timeout)
        .forEach((partition, info) -> ends.put(partition, info.offset()));
    return of(group, topic, partitionCount, ends, committed, positions, consumer, timeout);
  }

  /**
   * Lag from offsets already read (status reads every topic's end offsets at once, after the
   * committed offsets and the positions).
   */
  public static GroupLag of(
      String group,
      String topic,
      int partitionCount,
      Map<TopicPartition, Long> ends,
      Map<TopicPartition, OffsetAndMetadata> committed,
      Map<TopicPartition, Long> readPositions,
      Consumer<byte[], byte[]> consumer,
      Duration timeout) {
    Map<TopicPartition, Long> lagging = new HashMap<>();
    for (int p = 0; p < partitionCount; p++) {
      TopicPartition partition = new TopicPartition(topic, p);
      long position = positionOf(committed.get(partition), readPositions.get(partition));
      if (ends.getOrDefault(partition, 0L) > position) {
        lagging.put(partition, position);
      }
    }
    Map<TopicPartition, Long> timestamps =
        OldestUnconsumed.timestamps(consumer, lagging, ends, timeout);
    List<PartitionLag> partitions = new ArrayList<>();
    for (int p = 0; p < partitionCount; p++) {
      TopicPartition partition = new TopicPartition(topic, p);
      OffsetAndMetadata offset = committed.get(partition);
      long position = positionOf(offset, readPositions.get(partition));
      long end = ends.getOrDefault(partition, 0L);
      partitions.add(
          new PartitionLag(
              p,
              offset == null ? null : offset.offset(),
              position,
              end,
              Math.max(0, end - position),
              timestamps.get(partition)));
    }
    return new GroupLag(group, topic, partitions);
  }

  private static long positionOf(OffsetAndMetadata committed, Long read) {
    long position = committed == null ? 0 : committed.offset();
    return read == null ? position : Math.max(position, read);
  }

  private static <T> T get(KafkaFuture<T> future, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
