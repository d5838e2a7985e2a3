package org.millrace.producers.feed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feeder's records in Kafka transactions, each closed with the progress it makes, and sent
 * again when a transaction fails, so that every record commits exactly once.
 *
 * <p>It keeps the records of the open transaction until it commits. A transaction that fails
 * (Kafka's "abortable" errors: a batch that expired, a record refused) is aborted and sent again. A
 * producer in a fatal state (among them the OUT_OF_ORDER_SEQUENCE_NUMBER of KAFKA-15591, see
 * docs/operations.md) is closed and replaced by a new one with the same transactional id, which
 * settles the old producer's transaction, committed or aborted. Which one, it reads back: every
 * transaction also writes its sequence number under {@link #sequenceKey()} in feed.progress, so the
 * records are sent again only when that transaction did not commit.
 */
final class FeedTransaction implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FeedTransaction.class);
  private static final int MAX_ATTEMPTS = 5;

  private final Supplier<Producer<byte[], byte[]>> producers;
  private final Supplier<FeedProgress> committed;
  private final String progressTopic;
  private final String transactionalId;
  private final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
  private Producer<byte[], byte[]> producer;
  private boolean open;
  private KafkaException failure;
  private long bytes;
  private long opened;
  private long sequence;
  private final FeedProgress committedAtStart;

  /**
   * @param producers new transactional producers, all with {@code transactionalId}
   * @param committed reads feed.progress as it is committed now
   */
  FeedTransaction(
      Supplier<Producer<byte[], byte[]>> producers,
      Supplier<FeedProgress> committed,
      String progressTopic,
      String transactionalId) {
    this.producers = producers;
    this.committed = committed;
    this.progressTopic = progressTopic;
    this.transactionalId = transactionalId;
    this.producer = newProducer();
    this.committedAtStart = committed.get();
    String last = committedAtStart.value(sequenceKey());
    this.sequence = last == null ? 0 : Long.parseLong(last);
  }

  /** feed.progress as committed when this transaction's producer started: final, see above. */
  FeedProgress committedAtStart() {
    return committedAtStart;
  }

  /** Adds a record to the open transaction, opening one if none is. */
  void send(ProducerRecord<byte[], byte[]> record) {
    if (records.isEmpty()) {
      opened = System.nanoTime();
    }
    records.add(record);
    bytes += record.value() == null ? 0 : record.value().length;
    sendNow(record);
  }

  /** The bytes of the records of the open transaction, kept in memory until it commits. */
  long bytes() {
    return bytes;
  }

  /** How long the open transaction has been open, or zero. */
  Duration age() {
    return records.isEmpty() ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - opened);
  }

  /**
   * Commits the open transaction with these progress records, sending it again as often as needed
   * (up to {@value #MAX_ATTEMPTS} attempts in all).
   *
   * @throws IOException when Kafka refuses it for good; what committed before is kept
   */
  void commit(List<ProducerRecord<byte[], byte[]>> progress) throws IOException {
    long next = sequence + 1;
    List<ProducerRecord<byte[], byte[]>> closing = new ArrayList<>(progress);
    closing.add(
        new ProducerRecord<>(
            progressTopic,
            sequenceKey().getBytes(StandardCharsets.UTF_8),
            Long.toString(next).getBytes(StandardCharsets.UTF_8)));
    for (int attempt = 1; ; attempt++) {
      try {
        for (ProducerRecord<byte[], byte[]> record : closing) {
          sendNow(record);
        }
        if (failure != null) {
          throw failure;
        }
        commitRetryingTimeouts();
        break;
      } catch (ProducerFencedException e) {
        throw new IOException(
            "another feed with transactional id "
                + transactionalId
                + " (the same input) started and took over; this one stops",
            e);
      } catch (AuthenticationException | AuthorizationException | UnsupportedVersionException e) {
        throw new IOException("Kafka refused the feed's transaction: " + e.getMessage(), e);
      } catch (KafkaException e) {
        if (attempt == MAX_ATTEMPTS) {
          throw new IOException(
              "Kafka refused the feed's transaction "
                  + MAX_ATTEMPTS
                  + " times (what committed before is kept; run the feed again to resume): "
                  + e.getMessage(),
              e);
        }
        log.warn(
            "A feed transaction of {} records failed ({}); sending it again", records.size(), e);
        if (startOver(next)) {
          break;
        }
      }
    }
    sequence = next;
    records.clear();
    bytes = 0;
    open = false;
  }

  /**
   * commitTransaction after a timeout must be called again, never aborted: the commit may already
   * be under way at the coordinator.
   */
  private void commitRetryingTimeouts() {
    for (int attempt = 1; ; attempt++) {
      try {
        producer.commitTransaction();
        return;
      } catch (TimeoutException e) {
        if (attempt == MAX_ATTEMPTS) {
          throw e;
        }
        log.warn("Committing a feed transaction timed out; trying again", e);
      }
    }
  }

  /**
   * Aborts the failed transaction, or replaces a producer that cannot abort, then sends the
   * transaction's records again.
   *
   * @return true when the transaction turns out to have committed after all
   */
  private boolean startOver(long next) {
    failure = null;
    open = false;
    try {
      producer.abortTransaction();
    } catch (KafkaException e) {
      log.warn("The feed's producer cannot abort ({}); replacing it", e.toString());
      producer.close(Duration.ZERO);
      producer = newProducer();
      if (Long.toString(next).equals(committed.get().value(sequenceKey()))) {
        return true;
      }
    }
    for (ProducerRecord<byte[], byte[]> record : records) {
      sendNow(record);
    }
    return false;
  }

  private void sendNow(ProducerRecord<byte[], byte[]> record) {
    if (failure != null) {
      return;
    }
    try {
      if (!open) {
        producer.beginTransaction();
        open = true;
      }
      producer.send(record);
    } catch (KafkaException e) {
      failure = e;
    }
  }

  /** A new producer, its transactions initialised: a predecessor's open transaction is settled. */
  private Producer<byte[], byte[]> newProducer() {
    Producer<byte[], byte[]> fresh = producers.get();
    try {
      fresh.initTransactions();
    } catch (AuthenticationException | AuthorizationException e) {
      // the first request a feed makes: a principal without ACLs is refused here, before any record
      fresh.close(Duration.ZERO);
      throw new IllegalStateException(
          "Kafka refused the feed's transactional id " + transactionalId + ": " + e.getMessage(),
          e);
    }
    return fresh;
  }

  /** The key of the sequence number of this transactional id's last committed transaction. */
  private String sequenceKey() {
    return "transaction:" + transactionalId;
  }

  /** Closes the producer; an open transaction is aborted (by the coordinator if not here). */
  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
