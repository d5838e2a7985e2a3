package org.millrace.trainer.stream;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.Split;
import org.millrace.schemas.TokenizedDocument;
import org.millrace.tokenizer.PackedTokenIds;

/**
 * The fixed validation set: the first {@code size} tokens of the VALIDATION split, read partition
 * by partition (0, 1, ...) from the start of the token topic. Fixed by the log's contents, so every
 * evaluation of a run, and every run over the same log, measures the same tokens.
 */
public final class ValidationSet {

  private ValidationSet() {}

  /**
   * Reads the validation tokens there are now, up to {@code size}.
   *
   * @return at most {@code size} token ids, fewer while the topic holds fewer
   */
  public static int[] read(Consumer<byte[], byte[]> consumer, String topic, String fingerprint, int size) {
    AvroSerde<TokenizedDocument> serde = AvroSerde.tokenizedDocument();
    SequencePacker tokens = new SequencePacker();
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .sorted(Comparator.comparingInt(TopicPartition::partition))
            .toList();
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    for (TopicPartition partition : partitions) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      while (tokens.pending() < size && consumer.position(partition) < ends.get(partition)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          TokenizedDocument document;
          try {
            document = serde.decode(record.value());
          } catch (RuntimeException notTokens) {
            continue; // the training reader rejects it
          }
          if (document.getSplit() == Split.VALIDATION && document.getTokenizerFingerprint().equals(fingerprint)) {
            tokens.add(PackedTokenIds.unpack(document.getTokens(), document.getTokenWidth()));
          }
        }
      }
    }
    int[] all = tokens.pendingTokens();
    return all.length <= size ? all : java.util.Arrays.copyOf(all, size);
  }

  /**
   * The set cut into evaluation windows of {@code blockSize + 1} ids, each overlapping the next by
   * one as in training, laid out one after the other; empty when the set is shorter than a window.
   */
  public static int[] windows(int[] tokens, int blockSize) {
    int count = tokens.length <= blockSize ? 0 : (tokens.length - 1) / blockSize;
    int[] windows = new int[count * (blockSize + 1)];
    for (int w = 0; w < count; w++) {
      System.arraycopy(tokens, w * blockSize, windows, w * (blockSize + 1), blockSize + 1);
    }
    return windows;
  }
}
