package org.millrace.trainer.stream;

import java.util.Arrays;

/**
 * Packs documents end to end into training windows, as GPT-2 and nanoGPT do: each document's tokens
 * already end with end-of-text, so documents are simply concatenated and cut into windows of {@code
 * blockSize + 1} ids (inputs, and the same shifted by one as targets).
 *
 * <p>Consecutive windows overlap by exactly one id (the last target of a window is the first input
 * of the next), so every token is an input exactly once. Tokens that do not fill a window yet stay
 * pending, and are part of the checkpointed stream position.
 */
public final class SequencePacker {

  private int[] buffer;
  private int start;
  private int end;

  public SequencePacker() {
    this(new int[0]);
  }

  /** A packer that starts with these pending tokens (restored from a checkpoint). */
  public SequencePacker(int[] pending) {
    this.buffer = Arrays.copyOf(pending, Math.max(16, pending.length));
    this.end = pending.length;
  }

  public void add(int[] tokens) {
    if (end + tokens.length > buffer.length) {
      int pending = end - start;
      int[] grown = new int[Math.max(buffer.length * 2, pending + tokens.length)];
      System.arraycopy(buffer, start, grown, 0, pending);
      buffer = grown;
      start = 0;
      end = pending;
    }
    System.arraycopy(tokens, 0, buffer, end, tokens.length);
    end += tokens.length;
  }

  /** Whether {@code batchSize} windows of {@code blockSize} can be taken now. */
  public boolean hasBatch(int batchSize, int blockSize) {
    return end - start >= (long) batchSize * blockSize + 1;
  }

  /**
   * Takes {@code batchSize} windows of {@code blockSize + 1} ids, laid out one after the other.
   *
   * @throws IllegalStateException when not enough tokens are pending
   */
  public int[] takeBatch(int batchSize, int blockSize) {
    if (!hasBatch(batchSize, blockSize)) {
      throw new IllegalStateException(
          "only "
              + pending()
              + " tokens pending, a batch needs "
              + ((long) batchSize * blockSize + 1));
    }
    int window = blockSize + 1;
    int[] windows = new int[batchSize * window];
    for (int b = 0; b < batchSize; b++) {
      System.arraycopy(buffer, start, windows, b * window, window);
      start += blockSize; // the window's last id stays: it is the next window's first input
    }
    return windows;
  }

  public int pending() {
    return end - start;
  }

  /** The pending tokens, in order: what a checkpoint keeps of the partly packed sequence. */
  public int[] pendingTokens() {
    return Arrays.copyOfRange(buffer, start, end);
  }
}
