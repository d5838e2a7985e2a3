package org.millrace.cli.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.millrace.cli.status.StatusReader;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.RejectedDocument;
import org.millrace.schemas.TrainerProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the trainer.progress and docs.rejected topics from their beginning, for the dashboard's
 * loss curves and reject counts: each {@link #readNew} reads what was committed since the previous
 * one. It reads the topics rather than the process's own meters so that {@code millrace dashboard}
 * shows the same page with nothing but Kafka, and so that the curves start at the run's first step
 * whenever the dashboard starts. One consumer, in no group, committing nothing.
 */
public final class DashboardTopicReader implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DashboardTopicReader.class);

  /** The longest one {@link #readNew} reads before it lets the rest wait for the next. */
  public static final Duration MAX_READ = Duration.ofSeconds(5);

  private final Topics topics;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AvroSerde<TrainerProgress> progressSerde = AvroSerde.trainerProgress();
  private final AvroSerde<RejectedDocument> rejectedSerde = AvroSerde.rejectedDocument();
  private List<TopicPartition> assigned = List.of();

  public DashboardTopicReader(MillraceConfig config) {
    this.topics = Topics.of(config);
    Properties properties = KafkaClientProperties.groupLessConsumer(config, "millrace-dashboard");
    // a dashboard started before 'up' must not create the topics with the broker's defaults
    properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    this.consumer = new KafkaConsumer<>(properties);
  }

  /**
   * Adds every record committed to the two topics since the previous call to the history, up to
   * {@link #MAX_READ}. Topics that do not exist yet (a dashboard started before {@code up}) are
   * looked for again at the next call.
   */
  public void readNew(DashboardHistory history) {
    assignPartitions();
    if (assigned.isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, StatusReader.TIMEOUT);
    long deadline = System.nanoTime() + MAX_READ.toNanos();
    while (!reachedEnds(ends) && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        try {
          if (record.topic().equals(topics.progress())) {
            history.addProgress(progressSerde.decode(record.value()));
          } else {
            history.addRejected(rejectedSerde.decode(record.value()));
          }
        } catch (RuntimeException unreadable) {
          // only Millrace writes these topics; a record it cannot read is not the dashboard's to
          // judge
          log.debug("Skipped an unreadable record at {}/{}", record.topic(), record.offset());
        }
      }
    }
  }

  private void assignPartitions() {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(topics.progress(), topics.rejected())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, StatusReader.TIMEOUT);
      if (infos != null) {
        infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      }
    }
    if (partitions.size() != assigned.size()) {
      // positions of partitions already assigned are kept; new ones start at the beginning
      consumer.assign(partitions);
      assigned = List.copyOf(partitions);
    }
  }

  private boolean reachedEnds(Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (consumer.position(end.getKey(), StatusReader.TIMEOUT) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
