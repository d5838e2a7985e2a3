package org.millrace.processors.tokenize;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.TopicContents;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.TokenizedDocument;

/**
 * Keeps one tokenizer per token stream: before the tokenize stage starts, the newest record of each
 * partition of the tokens topic must carry this stage's tokenizer fingerprint. A stage started with
 * another tokenizer would interleave ids of two vocabularies that no model can learn from; it is
 * refused, naming both tokenizers.
 */
public final class TokenStreamGuard {

  /**
   * How far back from the end of a partition to look for its newest token record (past transaction
   * markers).
   */
  private static final int LOOK_BACK = 16;

  private TokenStreamGuard() {}

  /**
   * @throws IllegalStateException when the topic holds tokens of another tokenizer
   */
  public static void requireSameTokenizer(
      MillraceConfig config, String fingerprint, String tokenizerName) {
    String topic = Topics.of(config).tokens();
    Properties properties =
        KafkaClientProperties.groupLessConsumer(config, "millrace-tokenize-guard");
    AvroSerde<TokenizedDocument> serde = AvroSerde.tokenizedDocument();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
      List<TopicPartition> partitions = TopicContents.partitionsOf(consumer, topic);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
      for (TopicPartition partition : partitions) {
        long end = ends.get(partition);
        if (end <= beginnings.get(partition)) {
          continue;
        }
        consumer.assign(List.of(partition));
        consumer.seek(partition, Math.max(beginnings.get(partition), end - LOOK_BACK));
        ConsumerRecord<byte[], byte[]> newest = null;
        while (consumer.position(partition) < end) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            newest = record;
          }
        }
        if (newest == null) {
          continue;
        }
        String existing;
        try {
          existing = serde.decode(newest.value()).getTokenizerFingerprint();
        } catch (RuntimeException notTokens) {
          continue; // not a token record: the trainer rejects it; it says nothing about the
          // tokenizer
        }
        if (!existing.equals(fingerprint)) {
          throw new IllegalStateException(
              "topic "
                  + topic
                  + " holds tokens of tokenizer "
                  + existing
                  + " (partition "
                  + partition.partition()
                  + ", offset "
                  + newest.offset()
                  + "), but this stage's tokenizer is "
                  + tokenizerName
                  + " with fingerprint "
                  + fingerprint
                  + ": tokenize into a new topic (topics.prefix) or use the tokenizer of the"
                  + " stream");
        }
      }
    }
  }
}
