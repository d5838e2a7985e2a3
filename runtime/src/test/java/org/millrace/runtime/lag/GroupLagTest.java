package org.millrace.runtime.lag;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.KafkaBrokerExtension;

/** Lag in records and in seconds, on a real broker, against records with known timestamps. */
class GroupLagTest {

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();
  private static MillraceConfig config;

  @BeforeAll
  static void configure() {
    config = kafka.config();
  }

  @Test
  void lagInSecondsIsTheAgeOfTheFirstRecordAfterTheCommittedOffset() throws Exception {
    String topic = "lagged";
    long now = System.currentTimeMillis();
    try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(KafkaClientProperties.producer(config, "test"))) {
        // partition 0: ten records, one minute apart, the oldest ten minutes old
        for (int i = 0; i < 10; i++) {
          producer.send(
              new ProducerRecord<>(topic, 0, now - (10 - i) * 60_000L, null, new byte[] {1}));
        }
        // partition 1: three records, all read by the group below
        for (int i = 0; i < 3; i++) {
          producer.send(new ProducerRecord<>(topic, 1, now, null, new byte[] {2}));
        }
      }
      admin
          .alterConsumerGroupOffsets(
              "readers",
              Map.of(
                  new TopicPartition(topic, 0), new OffsetAndMetadata(4),
                  new TopicPartition(topic, 1), new OffsetAndMetadata(3)))
          .all()
          .get();

      GroupLag lag;
      try (KafkaConsumer<byte[], byte[]> consumer = groupLessConsumer()) {
        lag = GroupLag.read(admin, consumer, "readers", topic, Duration.ofSeconds(10));
      }

      assertThat(lag.partitions()).hasSize(2);
      GroupLag.PartitionLag first = lag.partitions().get(0);
      assertThat(first.committed()).isEqualTo(4);
      assertThat(first.end()).isEqualTo(10);
      assertThat(first.lag()).isEqualTo(6);
      assertThat(first.oldestUnconsumedTimestamp())
          .as("the record at offset 4 was written 6 minutes before now")
          .isEqualTo(now - 6 * 60_000L);
      assertThat(first.lagSeconds(now)).isEqualTo(360.0);
      GroupLag.PartitionLag second = lag.partitions().get(1);
      assertThat(second.lag()).isZero();
      assertThat(second.lagSeconds(now)).isZero();
      assertThat(lag.totalLag()).isEqualTo(6);
      assertThat(lag.maxLagSeconds(now)).isEqualTo(360.0);

      assertThat(lagByPartitionPerKafkaConsumerGroups("readers", topic))
          .as("the lag kafka-consumer-groups.sh --describe prints")
          .containsExactly(first.lag(), second.lag());

      GroupLag never;
      try (KafkaConsumer<byte[], byte[]> consumer = groupLessConsumer()) {
        never = GroupLag.read(admin, consumer, "never-ran", topic, Duration.ofSeconds(10));
      }
      assertThat(never.totalLag())
          .as("a group with no offsets lags by the whole topic")
          .isEqualTo(13);
      assertThat(never.maxLagSeconds(now)).isEqualTo(600.0);
    }
  }

  /** Runs Kafka's own kafka-consumer-groups --describe and reads its LAG column, by partition. */
  private static List<Long> lagByPartitionPerKafkaConsumerGroups(String group, String topic)
      throws Exception {
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    java.io.PrintStream standardOut = System.out;
    System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      org.apache.kafka.tools.consumer.group.ConsumerGroupCommand.main(
          new String[] {
            "--bootstrap-server", kafka.bootstrapServers(), "--describe", "--group", group
          });
    } finally {
      System.setOut(standardOut);
    }
    // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
    return printed
        .toString(java.nio.charset.StandardCharsets.UTF_8)
        .lines()
        .map(line -> line.trim().split("\\s+"))
        .filter(columns -> columns.length >= 6 && columns[1].equals(topic))
        .sorted(java.util.Comparator.comparingInt(columns -> Integer.parseInt(columns[2])))
        .map(columns -> Long.parseLong(columns[5]))
        .toList();
  }

  private static KafkaConsumer<byte[], byte[]> groupLessConsumer() {
    return new KafkaConsumer<>(KafkaClientProperties.groupLessConsumer(config, "lag-test"));
  }
}
