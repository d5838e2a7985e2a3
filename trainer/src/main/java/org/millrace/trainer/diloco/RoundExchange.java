package org.millrace.trainer.diloco;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's end of the trainer.sync topic: it sends its pseudo-gradient for a round and reads
 * the round's records in log order until {@link RoundMembership} says the round closed, writing a
 * {@link SyncRecord.RoundClose} when its timeout passes with a quorum present. Every record goes to
 * one partition ({@link SyncRecords#PARTITION}), so log order is one order for every worker.
 */
public final class RoundExchange implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RoundExchange.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration WAITING_LOG_INTERVAL = Duration.ofSeconds(30);

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final TopicPartition partition;
  private final String runId;
  private final DilocoSettings settings;
  // a new one per process: a restarted worker's second publication of a round is told apart
  private final long attempt = System.nanoTime() ^ ProcessHandle.current().pid() << 40;

  /**
   * A round as it closed.
   *
   * @param contributors the workers whose pseudo-gradients count, in log order
   * @param closedBy the worker whose timeout closed it, null when all K contributed
   * @param nextOffset the sync topic's offset after the record that closed it: the next round's
   *     records all come after it
   */
  public record ClosedRound(
      long round,
      List<Integer> contributors,
      Integer closedBy,
      float[] meanPseudoGradient,
      long nextOffset) {}

  /**
   * @param consumer a consumer of the caller's thread alone, in no group
   */
  public RoundExchange(
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer,
      String syncTopic,
      String runId,
      DilocoSettings settings) {
    this.consumer = consumer;
    this.producer = producer;
    List<PartitionInfo> partitions = consumer.partitionsFor(syncTopic, METADATA_TIMEOUT);
    if (partitions == null || partitions.isEmpty()) {
      throw new IllegalStateException(
          "topic " + syncTopic + " does not exist: create the topics first (millrace topics)");
    }
    this.partition = new TopicPartition(syncTopic, SyncRecords.PARTITION);
    this.runId = runId;
    this.settings = settings;
    consumer.assign(List.of(partition));
  }

  /**
   * Sends this worker's pseudo-gradient for {@code round} and waits until every chunk is in the
   * log.
   *
   * @return the bytes sent (the chunks' values)
   */
  public long publish(long round, float[] pseudoGradient) {
    List<ProducerRecord<byte[], byte[]>> records =
        SyncRecords.pseudoGradient(
            partition.topic(),
            runId,
            round,
            settings.worker(),
            attempt,
            settings.encoding(),
            pseudoGradient);
    List<Future<RecordMetadata>> sent =
        records.stream().map(record -> producer.send(record)).toList();
    long bytes = 0;
    for (int i = 0; i < records.size(); i++) {
      await(sent.get(i));
      bytes += records.get(i).value().length;
    }
    return bytes;
  }

  /**
   * Reads round {@code round} from {@code fromOffset} (where the previous round closed; negative:
   * the start of the topic) until it closes. {@code size} is the number of values of the model's
   * flattened parameters. Once {@link DilocoSettings#roundTimeout()} has passed and the quorum is
   * present, it writes a close marker and reads on to the first one in the log.
   *
   * @return the round, or null when {@code stopRequested} turned true first
   */
  public ClosedRound awaitClose(
      long round, long fromOffset, int size, BooleanSupplier stopRequested) {
    RoundMembership membership = seek(round, fromOffset, size);
    long start = System.nanoTime();
    long deadline = start + settings.roundTimeout().toNanos();
    long nextWaitingLog = start + WAITING_LOG_INTERVAL.toNanos();
    boolean markerSent = false;
    while (!stopRequested.getAsBoolean()) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        if (accept(membership, record)) {
          return closed(membership, record);
        }
      }
      long now = System.nanoTime();
      if (!markerSent && now >= deadline && membership.contributions() >= settings.quorum()) {
        log.info(
            "Round {}: {} of {} contributions after the round timeout ({}), closing it",
            round,
            membership.contributions(),
            settings.workers(),
            settings.roundTimeout());
        await(
            producer.send(
                SyncRecords.roundClose(partition.topic(), runId, round, settings.worker())));
        markerSent = true;
      }
      if (now >= nextWaitingLog) {
        log.info(
            "Round {}: waiting for contributions, {} of {} (quorum {}) in the log after {} s",
            round,
            membership.contributions(),
            settings.workers(),
            settings.quorum(),
            (now - start) / 1_000_000_000);
        nextWaitingLog = now + WAITING_LOG_INTERVAL.toNanos();
      }
    }
    return null;
  }

  /**
   * Round {@code round} if it closed in the log as it is now, read from {@code fromOffset}; null
   * when the log's end comes first. What a worker that restarts reads to catch up.
   */
  public ClosedRound closedInLog(long round, long fromOffset, int size) {
    RoundMembership membership = seek(round, fromOffset, size);
    long end = consumer.endOffsets(List.of(partition)).get(partition);
    while (consumer.position(partition) < end) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        if (accept(membership, record)) {
          return closed(membership, record);
        }
      }
    }
    return null;
  }

  private RoundMembership seek(long round, long fromOffset, int size) {
    long logStart = consumer.beginningOffsets(List.of(partition)).get(partition);
    if (fromOffset < 0) {
      consumer.seek(partition, logStart);
    } else if (fromOffset < logStart) {
      throw new IllegalStateException(
          String.format(
              "%s starts at offset %d, but round %d of run '%s' starts at %d: retention deleted"
                  + " it before this worker read it, so it cannot catch up. Keep trainer.sync"
                  + " longer (topics.tokens.retention.ms) than a worker may stay down.",
              partition, logStart, round, runId, fromOffset));
    } else {
      consumer.seek(partition, fromOffset);
    }
    return new RoundMembership(runId, round, settings.workers(), settings.quorum(), size);
  }

  private static boolean accept(RoundMembership membership, ConsumerRecord<byte[], byte[]> record) {
    try {
      return membership.accept(SyncRecords.read(record));
    } catch (IllegalArgumentException e) {
      // every worker passes the same record over: the rounds stay the same for all
      log.warn(
          "Passed over sync record at {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
      return false;
    }
  }

  private static ClosedRound closed(
      RoundMembership membership, ConsumerRecord<byte[], byte[]> record) {
    return new ClosedRound(
        membership.round(),
        membership.contributors(),
        membership.closedBy(),
        membership.meanPseudoGradient(),
        record.offset() + 1);
  }

  private static RecordMetadata await(Future<RecordMetadata> sent) {
    try {
      return sent.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot write to the sync topic: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to the sync topic", e);
    }
  }

  @Override
  public void close() {
    consumer.close();
  }
}
