package org.millrace.runtime.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.KafkaBrokerExtension;

class TopicContentsTest {

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  @Test
  void readsEveryPartitionToItsEndAndAnEmptyPartitionDoesNotHoldItUp() throws Exception {
    MillraceConfig config = kafka.config();
    try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
      admin.createTopics(List.of(new NewTopic("texts", 3, (short) 1))).all().get();
    }
    List<String> written = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaClientProperties.producer(config, "test"))) {
      for (int i = 0; i < 30; i++) {
        String text = "text " + i;
        // partitions 0 and 1 only: partition 2 stays empty
        producer.send(
            new ProducerRecord<>("texts", i % 2, null, text.getBytes(StandardCharsets.UTF_8)));
        written.add(text);
      }
    }

    List<String> read = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(KafkaClientProperties.groupLessConsumer(config, "test"))) {
      assertThat(TopicContents.partitionsOf(consumer, "texts")).hasSize(3);
      TopicContents.readToEnd(
          consumer,
          "texts",
          Duration.ofSeconds(30),
          record -> read.add(new String(record.value(), StandardCharsets.UTF_8)));
    }

    assertThat(read).containsExactlyInAnyOrderElementsOf(written);
  }
}
