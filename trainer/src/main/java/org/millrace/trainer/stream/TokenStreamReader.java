package org.millrace.trainer.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.RejectedDocument;
import org.millrace.schemas.Split;
import org.millrace.schemas.TokenizedDocument;
import org.millrace.schemas.reject.RejectReason;
import org.millrace.schemas.reject.Rejection;
import org.millrace.tokenizer.PackedTokenIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the train split of the token topic into a {@link SequencePacker}, from an exact {@link
 * TokenStreamPosition}. It assigns itself every partition of the topic (no group rebalancing moves
 * partitions under a running trainer) and uses its consumer group only to commit offsets after
 * checkpoints, so that the group's lag counts the tokens not yet safely trained.
 */
public final class TokenStreamReader implements AutoCloseable {

  public static final String STAGE = "train";
  private static final Logger log = LoggerFactory.getLogger(TokenStreamReader.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> rejections;
  private final String rejectedTopic;
  private final String tokenizerFingerprint;
  private final int rejectedPayloadMaxBytes;
  private final AvroSerde<TokenizedDocument> serde = AvroSerde.tokenizedDocument();
  private final AvroSerde<RejectedDocument> rejectedSerde = AvroSerde.rejectedDocument();
  private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
  private final SequencePacker packer;

  /** Records fetched but not packed yet; they are not part of the position. */
  private final Deque<ConsumerRecord<byte[], byte[]>> polled = new ArrayDeque<>();

  private long recordsRead;
  private long validationRecordsSkipped;

  public TokenStreamReader(
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> rejections,
      String tokensTopic,
      String rejectedTopic,
      String tokenizerFingerprint,
      int rejectedPayloadMaxBytes,
      TokenStreamPosition position,
      Duration metadataTimeout) {
    this.consumer = consumer;
    this.rejections = rejections;
    this.rejectedTopic = rejectedTopic;
    this.tokenizerFingerprint = tokenizerFingerprint;
    this.rejectedPayloadMaxBytes = rejectedPayloadMaxBytes;
    this.packer = new SequencePacker(position.pendingTokens());

    List<PartitionInfo> partitions = consumer.partitionsFor(tokensTopic, metadataTimeout);
    if (partitions == null || partitions.isEmpty()) {
      throw new IllegalStateException(
          "topic " + tokensTopic + " does not exist: create the topics first (millrace topics)");
    }
    List<TopicPartition> assignment =
        partitions.stream()
            .map(p -> new TopicPartition(tokensTopic, p.partition()))
            .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
            .toList();
    consumer.assign(assignment);
    for (TopicPartition partition : assignment) {
      Long next = position.nextOffsets().get(partition);
      if (next == null) {
        consumer.seekToBeginning(List.of(partition));
      } else {
        consumer.seek(partition, next);
        nextOffsets.put(partition, next);
      }
    }
  }

  /**
   * Reads until a batch can be packed or {@code timeout} passes. Records are packed one at a time,
   * only as many as the batch needs: the rest of a poll waits in memory, outside the stream
   * position, so that a checkpoint holds at most one record's worth of pending tokens.
   *
   * @return the batch's windows, or null when not enough tokens arrived in time
   * @throws TokenizerMismatchException when a record was made by another tokenizer
   */
  public int[] nextBatch(int batchSize, int blockSize, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!packer.hasBatch(batchSize, blockSize)) {
      if (polled.isEmpty()) {
        if (System.nanoTime() > deadline) {
          return null;
        }
        consumer.poll(POLL).forEach(polled::add);
      } else {
        accept(polled.poll());
      }
    }
    return packer.takeBatch(batchSize, blockSize);
  }

  private void accept(ConsumerRecord<byte[], byte[]> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    recordsRead++;
    TokenizedDocument document;
    try {
      document = serde.decode(record.value());
    } catch (SerializationException | NullPointerException e) {
      reject(record, e.getMessage() == null ? "the record has no value" : e.getMessage());
      nextOffsets.put(partition, record.offset() + 1);
      return;
    }
    if (!document.getTokenizerFingerprint().equals(tokenizerFingerprint)) {
      throw new TokenizerMismatchException(
          document.getDocumentId(),
          document.getTokenizerFingerprint(),
          tokenizerFingerprint,
          Rejection.coordinates(record.topic(), record.partition(), record.offset()));
    }
    if (document.getSplit() == Split.TRAIN) {
      packer.add(PackedTokenIds.unpack(document.getTokens(), document.getTokenWidth()));
    } else {
      validationRecordsSkipped++;
    }
    nextOffsets.put(partition, record.offset() + 1);
  }

  private void reject(ConsumerRecord<byte[], byte[]> record, String detail) {
    String id =
        record.key() == null
            ? Rejection.coordinates(record.topic(), record.partition(), record.offset())
            : new String(record.key(), StandardCharsets.UTF_8);
    RejectedDocument rejection =
        Rejection.ofRecord(
            id,
            STAGE,
            RejectReason.MALFORMED_AVRO,
            detail,
            record.topic(),
            record.partition(),
            record.offset(),
            record.value(),
            rejectedPayloadMaxBytes);
    rejections.send(
        new ProducerRecord<>(
            rejectedTopic, id.getBytes(StandardCharsets.UTF_8), rejectedSerde.encode(rejection)));
    log.warn("Rejected token record {}: {}", id, detail);
  }

  /** Where the reader is now: what a checkpoint taken after the last returned batch must save. */
  public TokenStreamPosition position() {
    return new TokenStreamPosition(nextOffsets, packer.pendingTokens());
  }

  /**
   * Commits the checkpointed offsets to the trainer's consumer group. The checkpoint, not the
   * group, is the source of truth on resume; the group's offsets make the trainer's lag visible.
   */
  public void commit(TokenStreamPosition checkpointed) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    checkpointed
        .nextOffsets()
        .forEach((partition, next) -> offsets.put(partition, new OffsetAndMetadata(next)));
    if (!offsets.isEmpty()) {
      consumer.commitSync(offsets);
    }
    rejections.flush();
  }

  public long recordsRead() {
    return recordsRead;
  }

  public long validationRecordsSkipped() {
    return validationRecordsSkipped;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
