package org.millrace.trainer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.KafkaBrokerExtension;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.Split;
import org.millrace.trainer.testing.TokenRecords;

/**
 * The order in which the trainer reads its partitions depends on the data alone: in turn, one
 * record each, passing over a partition only once it is read to its end. Four partitions of
 * different lengths, read whole from the start and again from a position in the middle.
 */
class TokenStreamOrderIT {

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  private static final int BATCH = 4;
  private static final int BLOCK = 16;
  private static final int TOKENS_PER_RECORD = 24;
  private static final String FINGERPRINT = "order-test";

  private static MillraceConfig config;
  private static Map<TopicPartition, Long> ends;
  private static KafkaProducer<byte[], byte[]> rejections;

  @BeforeAll
  static void writeUnevenPartitions() {
    config = kafka.pipeline("order", Map.of(MillraceConfig.TOPICS_PARTITIONS, "4"));
    String topic = Topics.of(config).tokens();
    ends = new java.util.HashMap<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaClientProperties.producer(config, "order-test"))) {
      int id = 0;
      for (int partition = 0; partition < 4; partition++) {
        int records = 20 + 15 * partition; // 20, 35, 50, 65
        for (int i = 0; i < records; i++) {
          producer.send(record(topic, partition, id++));
        }
        ends.put(new TopicPartition(topic, partition), (long) records);
      }
    }
    rejections = new KafkaProducer<>(KafkaClientProperties.producer(config, "order-rejections"));
  }

  @AfterAll
  static void closeProducer() {
    rejections.close();
  }

  @Test
  void partitionsNotReadToTheirEndStayWithinOneRecordOfEachOther() {
    try (TokenStreamReader reader = reader(TokenStreamPosition.start())) {
      int batches = 0;
      while (reader.nextBatch(BATCH, BLOCK, Duration.ofSeconds(5)) != null) {
        batches++;
        Map<TopicPartition, Long> next = reader.position().nextOffsets();
        List<Long> unfinished = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
          long offset = next.getOrDefault(end.getKey(), 0L);
          if (offset < end.getValue()) {
            unfinished.add(offset);
          }
        }
        if (unfinished.size() > 1) {
          long spread =
              unfinished.stream().mapToLong(Long::longValue).max().getAsLong()
                  - unfinished.stream().mapToLong(Long::longValue).min().getAsLong();
          assertThat(spread)
              .as("after batch %d, partitions not read to their end: %s", batches, next)
              .isLessThanOrEqualTo(1);
        }
      }
      assertThat(reader.position().nextOffsets()).as("every record read").isEqualTo(ends);
      assertThat(batches).isGreaterThan(10);
    }
  }

  @Test
  void twoReadersFromOnePositionReadTheSameBatchesInTheSameOrder() {
    List<int[]> whole = new ArrayList<>();
    TokenStreamPosition middle = null;
    try (TokenStreamReader reader = reader(TokenStreamPosition.start())) {
      int[] windows;
      while ((windows = reader.nextBatch(BATCH, BLOCK, Duration.ofSeconds(5))) != null) {
        whole.add(windows);
        if (whole.size() == 7) {
          middle = reader.position();
        }
      }
    }
    assertThat(middle).isNotNull();
    for (int run = 0; run < 2; run++) {
      List<int[]> resumed = new ArrayList<>();
      try (TokenStreamReader reader = reader(middle)) {
        int[] windows;
        while ((windows = reader.nextBatch(BATCH, BLOCK, Duration.ofSeconds(5))) != null) {
          resumed.add(windows);
        }
      }
      assertThat(resumed).as("run %d from batch 7's position", run).hasSize(whole.size() - 7);
      for (int i = 0; i < resumed.size(); i++) {
        assertThat(resumed.get(i)).as("batch %d", 7 + i).isEqualTo(whole.get(7 + i));
      }
    }
  }

  @Test
  void partitionsThatReceiveRecordsWhileTheReaderWaitsAreReadInTurn() throws Exception {
    MillraceConfig late = kafka.pipeline("late", Map.of(MillraceConfig.TOPICS_PARTITIONS, "4"));
    String topic = Topics.of(late).tokens();
    try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(KafkaClientProperties.producer(late, "late-test"));
        TokenStreamReader reader = reader(late, TokenStreamPosition.start())) {
      // partition 3 alone has records at first: the reader reads them all and waits
      for (int i = 0; i < 10; i++) {
        producer.send(record(topic, 3, 1_000 + i)).get();
      }
      while (reader.nextBatch(BATCH, BLOCK, Duration.ofSeconds(2)) != null) {
        // read what there is
      }
      assertThat(reader.nextBatch(BATCH, BLOCK, Duration.ofSeconds(1))).isNull();
      // then every partition receives 40 records while the reader waits
      for (int i = 0; i < 40; i++) {
        for (int partition = 0; partition < 4; partition++) {
          producer.send(record(topic, partition, 2_000 + 100 * partition + i));
        }
      }
      producer.flush();
      Map<TopicPartition, Long> base = reader.position().nextOffsets();
      int batches = 0;
      while (reader.nextBatch(BATCH, BLOCK, Duration.ofSeconds(5)) != null) {
        batches++;
        Map<TopicPartition, Long> next = reader.position().nextOffsets();
        List<Long> readSince = new ArrayList<>();
        for (int partition = 0; partition < 4; partition++) {
          TopicPartition tp = new TopicPartition(topic, partition);
          long read = next.getOrDefault(tp, 0L) - base.getOrDefault(tp, 0L);
          if (read < 40) {
            readSince.add(read);
          }
        }
        if (readSince.size() > 1) {
          assertThat(
                  readSince.stream().mapToLong(Long::longValue).max().getAsLong()
                      - readSince.stream().mapToLong(Long::longValue).min().getAsLong())
              .as("after batch %d, records read per partition since the wait: %s", batches, next)
              .isLessThanOrEqualTo(1);
        }
      }
      assertThat(batches).isGreaterThan(10);
    }
  }

  private static TokenStreamReader reader(TokenStreamPosition position) {
    return reader(config, position);
  }

  private static TokenStreamReader reader(MillraceConfig config, TokenStreamPosition position) {
    Properties properties = KafkaClientProperties.groupLessConsumer(config, "order-test");
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    // a few records a poll, so that partitions arrive one after another
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5);
    return new TokenStreamReader(
        withStaleLag(new KafkaConsumer<>(properties)),
        rejections,
        Topics.of(config).tokens(),
        Topics.of(config).rejected(),
        FINGERPRINT,
        1024,
        false,
        position,
        PartitionShare.ALL,
        Duration.ofSeconds(30));
  }

  /**
   * The consumer, except that it reports every partition's lag as 0: the stale value a consumer
   * gives for a partition it has not fetched yet, which made an earlier reader pass over partitions
   * that had records.
   */
  @SuppressWarnings("unchecked")
  private static Consumer<byte[], byte[]> withStaleLag(Consumer<byte[], byte[]> consumer) {
    return (Consumer<byte[], byte[]>)
        Proxy.newProxyInstance(
            Consumer.class.getClassLoader(),
            new Class<?>[] {Consumer.class},
            (proxy, method, args) -> {
              if (method.getName().equals("currentLag")) {
                return OptionalLong.of(0);
              }
              try {
                return method.invoke(consumer, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /** Record {@code id}: tokens that name it, so that any reordering shows in the batches. */
  private static ProducerRecord<byte[], byte[]> record(String topic, int partition, int id) {
    int[] tokens = new int[TOKENS_PER_RECORD];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = (id * 7 + i) % 250;
    }
    return TokenRecords.record(
        topic, partition, TokenRecords.document("doc-" + id, tokens, FINGERPRINT, Split.TRAIN));
  }
}
