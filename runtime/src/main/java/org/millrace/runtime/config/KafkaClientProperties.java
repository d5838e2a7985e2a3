package org.millrace.runtime.config;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The properties of every Kafka client Millrace creates: our defaults for its role, then the user's
 * {@code kafka.*} settings on top, so that a user can override anything. Every value is a string:
 * code that reads {@link Properties} through {@code stringPropertyNames()} skips any other type.
 */
public final class KafkaClientProperties {

  private KafkaClientProperties() {}

  public static Properties admin(MillraceConfig config) {
    Properties properties = base(config);
    properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "millrace-admin");
    return withOverrides(properties, config);
  }

  /**
   * An idempotent producer of byte arrays: retries never duplicate or reorder records, and it
   * accepts records up to {@code topics.max.message.bytes}.
   */
  public static Properties producer(MillraceConfig config, String clientId) {
    Properties properties = base(config);
    properties.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, producerCompression(config));
    properties.put(
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
        String.valueOf(config.getInt(MillraceConfig.TOPICS_MAX_MESSAGE_BYTES)));
    properties.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    properties.put(
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return withOverrides(properties, config);
  }

  /**
   * An idempotent producer with one request in flight per broker, for producers whose rate is
   * bounded elsewhere (the crawler by its politeness, the trainer by its steps). With one request
   * in flight, a batch refused with NOT_LEADER_OR_FOLLOWER is sent again before any later batch of
   * its partition, so a broker older than Kafka 4.5 never sees them out of order (KAFKA-15591, see
   * {@code TopicBootstrap}): such a producer cannot lose records to OUT_OF_ORDER_SEQUENCE_NUMBER.
   */
  public static Properties orderedProducer(MillraceConfig config, String clientId) {
    Properties properties = producer(config, clientId);
    properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    return withOverrides(properties, config);
  }

  /**
   * A transactional producer: its records are read by read_committed consumers only once the
   * transaction commits, and a new producer with the same {@code transactionalId} aborts whatever
   * transaction a killed predecessor left open.
   */
  public static Properties transactionalProducer(
      MillraceConfig config, String clientId, String transactionalId) {
    Properties properties = producer(config, clientId);
    properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return withOverrides(properties, config);
  }

  /**
   * A consumer of byte arrays that reads only committed transactions (the stages write with
   * exactly_once_v2) and commits offsets only when the caller says so.
   */
  public static Properties consumer(MillraceConfig config, String groupId, String clientId) {
    Properties properties = base(config);
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    properties.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return withOverrides(properties, config);
  }

  /**
   * A consumer that joins no group and commits nothing, reading committed records only: for readers
   * that assign partitions themselves and keep their own position (the trainer, status, the
   * dashboard, lag in seconds, the tokenizer guard).
   */
  public static Properties groupLessConsumer(MillraceConfig config, String clientId) {
    Properties properties = consumer(config, "unused", clientId);
    properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return properties;
  }

  /**
   * A Kafka Streams application with exactly-once processing: the consumed offsets, the state store
   * changes and the output records of each transaction commit together or not at all.
   */
  public static Properties streams(MillraceConfig config, String applicationId) {
    Properties properties = base(config);
    properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    properties.put(StreamsConfig.STATE_DIR_CONFIG, config.dataDir().resolve("streams").toString());
    // Kafka 5.0's default, set now: no behaviour of ours depends on it, and Streams warns without
    // it.
    properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
    properties.put(
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
        String.valueOf(config.getLong(MillraceConfig.STREAMS_COMMIT_INTERVAL_MS)));
    properties.put(
        StreamsConfig.REPLICATION_FACTOR_CONFIG,
        String.valueOf((int) config.getShort(MillraceConfig.TOPICS_REPLICATION_FACTOR)));
    properties.put(
        StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        String.valueOf(config.getInt(MillraceConfig.TOPICS_MAX_MESSAGE_BYTES)));
    properties.put(
        StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG),
        producerCompression(config));
    properties.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // Repartition and changelog topics carry whole documents too.
    properties.put(
        StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG),
        String.valueOf(config.getInt(MillraceConfig.TOPICS_MAX_MESSAGE_BYTES)));
    return withOverrides(properties, config);
  }

  private static Properties base(MillraceConfig config) {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    return properties;
  }

  private static String producerCompression(MillraceConfig config) {
    String topicCompression = config.getString(MillraceConfig.TOPICS_COMPRESSION_TYPE);
    return switch (topicCompression) {
      case "uncompressed", "producer" -> "none";
      default -> topicCompression;
    };
  }

  private static Properties withOverrides(Properties properties, MillraceConfig config) {
    for (Map.Entry<String, Object> override : config.kafkaOverrides().entrySet()) {
      properties.put(override.getKey(), String.valueOf(override.getValue()));
    }
    return properties;
  }
}
