package org.millrace.trainer.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.RejectedDocument;
import org.millrace.schemas.Split;
import org.millrace.schemas.TokenizedDocument;
import org.millrace.schemas.reject.Origin;
import org.millrace.schemas.reject.RejectReason;
import org.millrace.schemas.reject.Rejection;
import org.millrace.tokenizer.PackedTokenIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the train split of the token topic into a {@link SequencePacker}, from an exact {@link
 * TokenStreamPosition}, in an order fixed by the log's contents: one record from each partition in
 * turn (partition 0, 1, 2, ..., 0, ...), skipping a partition only while it has nothing left to
 * read. So two runs over the same log train the same sequences, whatever the timing of fetches.
 *
 * <p>It assigns itself every partition of the topic, or, as one of several DiLoCo workers, its
 * {@link PartitionShare} of them (no group rebalancing moves partitions under a running trainer).
 * Its consumer must not reset offsets by itself ({@code auto.offset.reset=none}): when retention
 * has deleted records it has not read, it stops with a {@link RetentionException}, or, when told to
 * go on, skips them and counts them loudly.
 */
public final class TokenStreamReader implements AutoCloseable {

  public static final String STAGE = "train";
  private static final Logger log = LoggerFactory.getLogger(TokenStreamReader.class);
  private static final Duration POLL = Duration.ofMillis(100);

  /** Records held per partition while others take their turn, before its fetching pauses. */
  private static final int MAX_FETCHED_PER_PARTITION = 2_000;

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> rejections;
  private final String rejectedTopic;
  private final String tokenizerFingerprint;
  private final int rejectedPayloadMaxBytes;
  private final boolean skipDeletedRecords;
  private final AvroSerde<TokenizedDocument> serde = AvroSerde.tokenizedDocument();
  private final AvroSerde<RejectedDocument> rejectedSerde = AvroSerde.rejectedDocument();
  private final List<TopicPartition> partitions;
  private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();

  /** Records fetched but not packed yet, per partition; they are not part of the position. */
  private final Map<TopicPartition, Deque<ConsumerRecord<byte[], byte[]>>> fetched =
      new HashMap<>();

  /**
   * The end offset (read_committed: the last stable offset) of each partition, as last asked; a
   * partition whose fetch position reaches it has nothing more to give for now.
   */
  private final Map<TopicPartition, Long> knownEnds = new HashMap<>();

  private final SequencePacker packer;
  private int turn;

  private long recordsRead;
  private long validationRecordsSkipped;
  // written by the reading thread, read by the metrics endpoint
  private volatile long recordsDeletedByRetention;

  public TokenStreamReader(
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> rejections,
      String tokensTopic,
      String rejectedTopic,
      String tokenizerFingerprint,
      int rejectedPayloadMaxBytes,
      boolean skipDeletedRecords,
      TokenStreamPosition position,
      PartitionShare share,
      Duration metadataTimeout) {
    this.consumer = consumer;
    this.rejections = rejections;
    this.rejectedTopic = rejectedTopic;
    this.tokenizerFingerprint = tokenizerFingerprint;
    this.rejectedPayloadMaxBytes = rejectedPayloadMaxBytes;
    this.skipDeletedRecords = skipDeletedRecords;
    this.packer = new SequencePacker(position.pendingTokens());

    List<PartitionInfo> infos = consumer.partitionsFor(tokensTopic, metadataTimeout);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException(
          "topic " + tokensTopic + " does not exist: create the topics first (millrace topics)");
    }
    partitions =
        share.of(
            infos.stream()
                .map(info -> new TopicPartition(tokensTopic, info.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList());
    partitions.forEach(partition -> fetched.put(partition, new ArrayDeque<>()));
    turn = Math.floorMod(position.nextPartition(), partitions.size());
    consumer.assign(partitions);

    Map<TopicPartition, Long> logStarts = consumer.beginningOffsets(partitions, metadataTimeout);
    for (TopicPartition partition : partitions) {
      long logStart = logStarts.get(partition);
      Long next = position.nextOffsets().get(partition);
      if (next == null) {
        if (logStart > 0) {
          log.warn(
              "{} starts at offset {}: records before it were deleted before this run read them",
              partition,
              logStart);
        }
        next = logStart;
      } else if (next < logStart) {
        next = deletedByRetention(partition, next, logStart);
      }
      consumer.seek(partition, next);
      nextOffsets.put(partition, next);
    }
    knownEnds.putAll(consumer.endOffsets(partitions, metadataTimeout));
  }

  /**
   * Reads until a batch can be packed or {@code timeout} passes. Records are packed one at a time,
   * only as many as the batch needs, so a checkpoint holds at most one record's worth of pending
   * tokens.
   *
   * @return the batch's windows, or null when not enough tokens arrived in time
   * @throws TokenizerMismatchException when a record was made by another tokenizer
   * @throws RetentionException when retention deleted records not yet read
   */
  public int[] nextBatch(int batchSize, int blockSize, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!packer.hasBatch(batchSize, blockSize)) {
      ConsumerRecord<byte[], byte[]> record = nextRecord();
      if (record != null) {
        accept(record);
      } else if (System.nanoTime() > deadline) {
        return null;
      } else {
        poll();
      }
    }
    return packer.takeBatch(batchSize, blockSize);
  }

  /**
   * The next record in round-robin order, or null when one must be fetched first: the partition
   * whose turn it is gives it, unless that partition has been read to the end the reader knows for
   * it, in which case the turn passes to the next. The order depends on the data alone, not on when
   * fetches return: a partition is passed over only when its fetch position has reached the end
   * offset read from the broker ({@link #knownEnds}), never because a fetch is still on its way.
   * When every partition is read to its known end, the ends are asked for again.
   */
  private ConsumerRecord<byte[], byte[]> nextRecord() {
    for (int i = 0; i < partitions.size(); i++) {
      int candidate = (turn + i) % partitions.size();
      TopicPartition partition = partitions.get(candidate);
      Deque<ConsumerRecord<byte[], byte[]>> records = fetched.get(partition);
      if (!records.isEmpty()) {
        turn = (candidate + 1) % partitions.size();
        ConsumerRecord<byte[], byte[]> record = records.poll();
        if (records.size() < MAX_FETCHED_PER_PARTITION / 2) {
          consumer.resume(List.of(partition));
        }
        return record;
      }
      if (consumer.position(partition) < knownEnds.getOrDefault(partition, 0L)) {
        return null; // its records are on their way: wait for them, to keep the order
      }
    }
    // Every partition is read to the end known so far: look for new records.
    knownEnds.putAll(consumer.endOffsets(partitions));
    return null;
  }

  private void poll() {
    try {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Deque<ConsumerRecord<byte[], byte[]>> records = fetched.get(partition);
        records.add(record);
        if (records.size() >= MAX_FETCHED_PER_PARTITION) {
          // waiting for another partition's turn: fetch no more of this one meanwhile
          consumer.pause(List.of(partition));
        }
      }
    } catch (OffsetOutOfRangeException e) {
      Map<TopicPartition, Long> logStarts =
          consumer.beginningOffsets(e.offsetOutOfRangePartitions().keySet());
      e.offsetOutOfRangePartitions()
          .forEach(
              (partition, offset) -> {
                long logStart = logStarts.get(partition);
                if (offset >= logStart) {
                  throw new IllegalStateException(
                      partition
                          + ": offset "
                          + offset
                          + " is beyond the end of the log; was the topic deleted and created"
                          + " again?",
                      e);
                }
                consumer.seek(partition, deletedByRetention(partition, offset, logStart));
              });
    }
  }

  private long deletedByRetention(TopicPartition partition, long next, long logStart) {
    if (!skipDeletedRecords) {
      throw new RetentionException(partition, next, logStart);
    }
    recordsDeletedByRetention += logStart - next;
    log.error(
        "{}: retention deleted {} token records before the trainer read them (offsets {} to {});"
            + " going on without them (trainer.retention.skip=true), {} skipped in all",
        partition,
        logStart - next,
        next,
        logStart - 1,
        recordsDeletedByRetention);
    return logStart;
  }

  private void accept(ConsumerRecord<byte[], byte[]> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    recordsRead++;
    nextOffsets.put(partition, record.offset() + 1);
    TokenizedDocument document;
    try {
      document = serde.decode(record.value());
    } catch (SerializationException | NullPointerException e) {
      reject(record, e.getMessage() == null ? "the record has no value" : e.getMessage());
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
            Origin.of(record),
            record.value(),
            rejectedPayloadMaxBytes);
    rejections.send(
        new ProducerRecord<>(
            rejectedTopic, id.getBytes(StandardCharsets.UTF_8), rejectedSerde.encode(rejection)));
    log.warn("Rejected token record {}: {}", id, detail);
  }

  /** Where the reader is now: what a checkpoint taken after the last returned batch must save. */
  public TokenStreamPosition position() {
    return new TokenStreamPosition(nextOffsets, turn, packer.pendingTokens());
  }

  public List<TopicPartition> partitions() {
    return new ArrayList<>(partitions);
  }

  public long recordsRead() {
    return recordsRead;
  }

  public long validationRecordsSkipped() {
    return validationRecordsSkipped;
  }

  public long recordsDeletedByRetention() {
    return recordsDeletedByRetention;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
