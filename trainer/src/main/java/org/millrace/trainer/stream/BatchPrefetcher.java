package org.millrace.trainer.stream;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads and packs the next batches on a thread of its own, so that the training loop does not wait
 * for Kafka when data is ready. Each batch carries the stream position after it: a checkpoint taken
 * after training a batch saves that position, not the reader's, which may be a few batches ahead.
 *
 * <p>The thread owns the {@link TokenStreamReader} and its consumer (a Kafka consumer is not
 * thread-safe). A failure on it (another tokenizer's tokens, records lost to retention) is rethrown
 * to the training loop by {@link #take}.
 */
public final class BatchPrefetcher implements AutoCloseable {

  /** Batches read ahead: enough to hide a fetch, small enough to hold little memory. */
  private static final int AHEAD = 2;

  /** The windows of one training step and the stream position after it. */
  public record Batch(int[] windows, TokenStreamPosition position) {}

  /**
   * Where the reader stood when it last found too few tokens for a batch: every record before it is
   * in one of the first {@code batchesOffered} batches or among the position's pending tokens. Once
   * the training loop has taken exactly that many batches, it has trained on everything read but
   * the pending tokens, and this position is one it can checkpoint.
   */
  public record IdlePosition(TokenStreamPosition position, long batchesOffered) {}

  private final TokenStreamReader reader;
  private final BlockingQueue<Batch> batches = new ArrayBlockingQueue<>(AHEAD);
  private final Thread thread;
  private volatile boolean stopped;
  private volatile IdlePosition idle;
  private long batchesOffered; // by the prefetch thread only
  private volatile RuntimeException failure;

  public BatchPrefetcher(TokenStreamReader reader, int batchSize, int blockSize) {
    this.reader = reader;
    this.thread = new Thread(() -> prefetch(batchSize, blockSize), "millrace-trainer-prefetch");
    thread.setDaemon(true);
    thread.start();
  }

  private void prefetch(int batchSize, int blockSize) {
    try {
      while (!stopped) {
        int[] windows = reader.nextBatch(batchSize, blockSize, Duration.ofMillis(200));
        if (windows == null) {
          idle = new IdlePosition(reader.position(), batchesOffered);
        } else {
          idle = null;
          batchesOffered++;
          Batch batch = new Batch(windows, reader.position());
          while (!stopped && !batches.offer(batch, 100, TimeUnit.MILLISECONDS)) {
            // the training loop is busy: wait for room
          }
        }
      }
    } catch (InterruptedException | org.apache.kafka.common.errors.InterruptException e) {
      // closing
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  /**
   * The next batch, waiting up to {@code timeout} for it.
   *
   * @return null when no batch was ready in time
   * @throws RuntimeException the reader's failure, if it failed
   */
  public Batch take(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Batch batch = batches.poll(20, TimeUnit.MILLISECONDS);
      if (batch != null) {
        return batch;
      }
      if (failure != null) {
        throw failure;
      }
      if (System.nanoTime() > deadline) {
        return null;
      }
    }
  }

  /**
   * The reader's position when it last waited for records, or null while it is reading; safe to
   * call from any thread.
   */
  public IdlePosition idle() {
    return idle;
  }

  /** Whether a batch is ready now, so that taking it costs no wait. */
  public boolean ready() {
    return !batches.isEmpty();
  }

  public TokenStreamReader reader() {
    return reader;
  }

  /** Stops the thread, then closes the reader and its consumer. */
  @Override
  public void close() {
    stopped = true;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reader.close();
  }
}
