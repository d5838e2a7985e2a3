package org.millrace.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker class itself: its start, restart on the same folder and port, lock and overrides. So
 * these tests start their own brokers, one a test in a folder of its own, rather than share the one
 * of {@code org.millrace.runtime.testing.KafkaBrokerExtension} as every other test does.
 */
class EmbeddedKafkaBrokerTest {

  /** Only a bound on how long to wait for records that should arrive at once; never asserted on. */
  private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dataDir;

  @Test
  void servesIdempotentProducerAndConsumerGroupOnRandomPort() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0)) {
      assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:").doesNotEndWith(":0");
      assertThat(broker.dataDir()).isEqualTo(dataDir);
      createTopic(broker, "words", 3);

      try (KafkaProducer<String, String> producer =
          producer(
              broker,
              Map.of(
                  ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                  ProducerConfig.ACKS_CONFIG, "all"))) {
        producer.send(new ProducerRecord<>("words", 0, "a", "alpha")).get();
        producer.send(new ProducerRecord<>("words", 1, "b", "beta")).get();
        producer.send(new ProducerRecord<>("words", 2, "c", "gamma")).get();
        producer.send(new ProducerRecord<>("words", 2, "d", "delta")).get();
      }

      try (Admin admin = admin(broker)) {
        TopicDescription words =
            admin.describeTopics(List.of("words")).allTopicNames().get().get("words");
        assertThat(words.partitions()).hasSize(3);
      }
      // A consumer group exercises the group coordinator and its one-replica __consumer_offsets
      // topic.
      List<ConsumerRecord<String, String>> records =
          consume(broker, "words", 4, Map.of(ConsumerConfig.GROUP_ID_CONFIG, "word-readers"));
      assertThat(records)
          .extracting(record -> entry(record.key(), record.value()))
          .containsExactlyInAnyOrder(
              entry("a", "alpha"), entry("b", "beta"), entry("c", "gamma"), entry("d", "delta"));
      assertThat(records)
          .filteredOn(record -> record.partition() == 2)
          .extracting(ConsumerRecord::value)
          .containsExactly("gamma", "delta");
    }
  }

  @Test
  void keepsTopicsAndRecordsAcrossRestartsOnTheSameDataDir() throws Exception {
    String firstBootstrapServers;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0)) {
      firstBootstrapServers = broker.bootstrapServers();
      createTopic(broker, "documents", 2);
      try (KafkaProducer<String, String> producer = producer(broker, Map.of())) {
        producer.send(new ProducerRecord<>("documents", 0, "doc-1", "first")).get();
        producer.send(new ProducerRecord<>("documents", 1, "doc-2", "second")).get();
      }
    }

    // The same client port again, as local mode does with 9092: close() must have released it.
    int firstPort =
        Integer.parseInt(firstBootstrapServers.substring(firstBootstrapServers.indexOf(':') + 1));
    try (EmbeddedKafkaBroker restarted = EmbeddedKafkaBroker.start(dataDir, firstPort)) {
      assertThat(restarted.bootstrapServers()).isEqualTo(firstBootstrapServers);
      try (Admin admin = admin(restarted)) {
        assertThat(admin.listTopics().names().get()).contains("documents");
      }
      try (KafkaProducer<String, String> producer = producer(restarted, Map.of())) {
        producer.send(new ProducerRecord<>("documents", 0, "doc-3", "third")).get();
      }
    }

    // A new random client port; the controller port is new on every start anyway.
    try (EmbeddedKafkaBroker restarted = EmbeddedKafkaBroker.start(dataDir, 0)) {
      assertThat(restarted.bootstrapServers()).isNotEqualTo(firstBootstrapServers);
      List<ConsumerRecord<String, String>> records = consume(restarted, "documents", 3, Map.of());
      assertThat(records)
          .extracting(record -> entry(record.key(), record.value()))
          .containsExactlyInAnyOrder(
              entry("doc-1", "first"), entry("doc-2", "second"), entry("doc-3", "third"));
    }
  }

  @Test
  void readCommittedConsumerSeesCommittedTransactionsOnly() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0)) {
      createTopic(broker, "batches", 1);

      try (KafkaProducer<String, String> producer =
          producer(broker, Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "batch-writer"))) {
        producer.initTransactions();

        producer.beginTransaction();
        producer.send(new ProducerRecord<>("batches", "1", "committed-1"));
        producer.send(new ProducerRecord<>("batches", "2", "committed-2"));
        producer.commitTransaction();

        producer.beginTransaction();
        producer.send(new ProducerRecord<>("batches", "3", "aborted"));
        producer.flush();
        producer.abortTransaction();

        producer.beginTransaction();
        producer.send(new ProducerRecord<>("batches", "4", "committed-3"));
        producer.commitTransaction();
      }

      // One partition keeps the order, so once the last committed record arrives the aborted one,
      // written before it, has been skipped rather than merely not yet read.
      List<ConsumerRecord<String, String>> records =
          consume(
              broker,
              "batches",
              3,
              Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
      assertThat(records)
          .extracting(ConsumerRecord::value)
          .containsExactly("committed-1", "committed-2", "committed-3");
    }
  }

  @Test
  void refusesToStartOnAPortThatIsAlreadyBound() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> EmbeddedKafkaBroker.start(dataDir, port))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("port " + port)
          .hasMessageContaining("already in use");
    }
  }

  @Test
  void refusesASecondBrokerOnTheSameDataDir() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0)) {
      assertThatThrownBy(() -> EmbeddedKafkaBroker.start(dataDir, 0))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another broker is using data directory");

      // The refused start must leave the running broker untouched: its controller and its log still
      // work.
      createTopic(broker, "still-serving", 1);
      try (KafkaProducer<String, String> producer = producer(broker, Map.of())) {
        assertThat(producer.send(new ProducerRecord<>("still-serving", "k", "v")).get().offset())
            .isZero();
      }
    }
  }

  @Test
  void appliesExtraBrokerPropertiesButNotThoseItManages() throws Exception {
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(dataDir, 0, Map.of("num.partitions", "4"))) {
      try (Admin admin = admin(broker)) {
        // No partition count given, so the broker's num.partitions decides.
        CreateTopicsResult created =
            admin.createTopics(
                List.of(new NewTopic("defaults", Optional.empty(), Optional.empty())));
        assertThat(created.numPartitions("defaults").get()).isEqualTo(4);
      }
    }

    assertThatThrownBy(
            () -> EmbeddedKafkaBroker.start(dataDir, 0, Map.of("log.dirs", "/elsewhere")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("log.dirs");
  }

  private static void createTopic(EmbeddedKafkaBroker broker, String topic, int partitions)
      throws Exception {
    try (Admin admin = admin(broker)) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
  }

  private static Admin admin(EmbeddedKafkaBroker broker) {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }

  private static KafkaProducer<String, String> producer(
      EmbeddedKafkaBroker broker, Map<String, Object> extraConfig) {
    Map<String, Object> config = new HashMap<>(extraConfig);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  /**
   * Reads the topic from the beginning until {@code expectedCount} records have arrived, or gives
   * up after {@link #CONSUME_TIMEOUT} and returns what it has, so that the assertion shows what was
   * missing.
   */
  private static List<ConsumerRecord<String, String>> consume(
      EmbeddedKafkaBroker broker,
      String topic,
      int expectedCount,
      Map<String, Object> extraConfig) {
    Map<String, Object> config = new HashMap<>(extraConfig);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, "test-reader");
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadlineNanos = System.nanoTime() + CONSUME_TIMEOUT.toNanos();
      while (records.size() < expectedCount && System.nanoTime() < deadlineNanos) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
