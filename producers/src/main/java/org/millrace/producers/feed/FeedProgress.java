package org.millrace.producers.feed;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;

/**
 * What earlier feeds published of each input file, kept in the compacted feed.progress topic and
 * written in the same transaction as the records it counts ({@link FeedTransaction}), so that it
 * can never say more or less than what read_committed consumers of docs.raw see: a feed killed with
 * {@code kill -9} loses its open transaction and that transaction's progress together.
 *
 * <p>One record per input file, keyed by a hash of its absolute path, whose latest value holds the
 * file's size and modification time (a changed file is fed again from the start), the number of its
 * records published (its records are numbered in reading order, so these are the first ones) and
 * whether that was all of them.
 */
final class FeedProgress {

  private static final Duration POLL = Duration.ofMillis(200);

  /** A feed that keeps no progress: every file from its start. */
  static final FeedProgress NONE = new FeedProgress(Map.of());

  private final Map<String, String> latest;

  private FeedProgress(Map<String, String> latest) {
    this.latest = latest;
  }

  /** One file's progress: what a resumed feed skips. */
  record FileState(boolean complete, long records) {
    static final FileState NONE = new FileState(false, 0);
  }

  /**
   * Reads the topic's committed records to its end. Call it after the feed's producer initialised
   * its transactions: that aborts (or completes) a killed predecessor's open transaction, so what
   * is read here is final.
   */
  static FeedProgress read(MillraceConfig config, String topic) {
    Map<String, String> latest = new HashMap<>();
    TopicPartition partition = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(KafkaClientProperties.groupLessConsumer(config, "millrace-feeder"))) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          String key = new String(record.key(), StandardCharsets.UTF_8);
          if (record.value() == null) {
            latest.remove(key);
          } else {
            latest.put(key, new String(record.value(), StandardCharsets.UTF_8));
          }
        }
      }
    }
    return new FeedProgress(latest);
  }

  /** The latest value under a key, or null: for {@link FeedTransaction}'s own records. */
  String value(String key) {
    return latest.get(key);
  }

  FileState load(Path file) throws IOException {
    String value = latest.get(keyOf(file));
    if (value == null) {
      return FileState.NONE;
    }
    Properties properties = new Properties();
    properties.load(new StringReader(value));
    if (!fingerprintOf(file).equals(properties.getProperty("fingerprint"))) {
      return FileState.NONE;
    }
    return new FileState(
        Boolean.parseBoolean(properties.getProperty("complete")),
        Long.parseLong(properties.getProperty("records", "0")));
  }

  /** The progress record of a file whose first {@code records} records were sent. */
  static ProducerRecord<byte[], byte[]> record(
      String topic, Path file, long records, boolean complete) {
    Properties properties = new Properties();
    try {
      properties.setProperty("file", file.toAbsolutePath().normalize().toString());
      properties.setProperty("fingerprint", fingerprintOf(file));
      properties.setProperty("records", Long.toString(records));
      properties.setProperty("complete", Boolean.toString(complete));
      StringWriter text = new StringWriter();
      properties.store(text, null);
      return new ProducerRecord<>(
          topic,
          keyOf(file).getBytes(StandardCharsets.UTF_8),
          text.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the attributes of " + file, e);
    }
  }

  private static String keyOf(Path file) {
    return "file:" + Feeder.idOf(file.toAbsolutePath().normalize().toString());
  }

  private static String fingerprintOf(Path file) throws IOException {
    return Files.size(file) + "/" + Files.getLastModifiedTime(file).toMillis();
  }
}
