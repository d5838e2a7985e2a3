package org.millrace.trainer;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.tokenizer.Tokenizer;

/**
 * The trainer's Kafka clients: consumers of the token topic that never reset their position by
 * themselves and never join a group (the trainer assigns itself every partition), a producer of
 * progress and rejections, and an admin client that commits the checkpointed position to the
 * trainer's consumer group, so that the group's lag counts the tokens not yet safely trained.
 */
public final class TrainerClients implements AutoCloseable {

  private final MillraceConfig config;
  private final String group;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Admin admin;

  private TrainerClients(MillraceConfig config, String group) {
    this.config = config;
    this.group = group;
    this.producer =
        new KafkaProducer<>(KafkaClientProperties.orderedProducer(config, "millrace-trainer"));
    this.admin = Admin.create(KafkaClientProperties.admin(config));
  }

  /** A trainer for the configured run, resumed from its latest checkpoint if it has one. */
  public static ContinuousTrainer connect(MillraceConfig config, Tokenizer tokenizer)
      throws IOException {
    TrainerSettings settings = TrainerSettings.from(config, tokenizer);
    TrainerClients clients = new TrainerClients(config, settings.consumerGroup());
    try {
      return new ContinuousTrainer(
          settings, tokenizer, org.millrace.runtime.topics.Topics.of(config), clients);
    } catch (IOException | RuntimeException e) {
      clients.close();
      throw e;
    }
  }

  /**
   * A consumer of the token topic for the caller's thread alone. {@code auto.offset.reset=none}: a
   * position that retention deleted is an error the reader handles, never a silent jump.
   */
  KafkaConsumer<byte[], byte[]> newConsumer(String clientId) {
    Properties properties = KafkaClientProperties.groupLessConsumer(config, clientId);
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    return new KafkaConsumer<>(properties);
  }

  KafkaProducer<byte[], byte[]> producer() {
    return producer;
  }

  /** Commits the checkpointed offsets to the trainer's group. */
  void commit(Map<TopicPartition, Long> nextOffsets) throws IOException {
    if (nextOffsets.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    nextOffsets.forEach((partition, next) -> offsets.put(partition, new OffsetAndMetadata(next)));
    try {
      admin.alterConsumerGroupOffsets(group, offsets).all().get();
    } catch (ExecutionException e) {
      throw new IOException(
          "cannot commit the trainer's offsets to group "
              + group
              + ": "
              + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while committing the trainer's offsets", e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
    admin.close(Duration.ofSeconds(10));
  }
}
