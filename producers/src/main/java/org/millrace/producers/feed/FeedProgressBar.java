package org.millrace.producers.feed;

import java.io.PrintStream;

/**
 * One line on the terminal, redrawn at most twice a second, that says how far a feed is: files,
 * bytes of input, documents. Drawn only when there is a terminal ({@code System.console() != null})
 * and the input is large enough to wait for.
 */
final class FeedProgressBar {

  /** Inputs smaller than this finish before a bar would be worth reading. */
  static final long MIN_INPUT_BYTES = 64L << 20;

  private static final long REDRAW_NANOS = 500_000_000L;
  private static final int WIDTH = 30;

  private final PrintStream out;
  private final long totalBytes;
  private final int totalFiles;
  private final long started = System.nanoTime();
  private long lastDrawn;

  private FeedProgressBar(PrintStream out, long totalBytes, int totalFiles) {
    this.out = out;
    this.totalBytes = Math.max(1, totalBytes);
    this.totalFiles = totalFiles;
  }

  /** A bar on stderr when on a terminal and the input is large, otherwise null. */
  static FeedProgressBar forTerminal(long totalBytes, int totalFiles) {
    return System.console() != null && totalBytes >= MIN_INPUT_BYTES
        ? new FeedProgressBar(System.err, totalBytes, totalFiles)
        : null;
  }

  void update(int filesDone, long inputBytesDone, long documents, boolean last) {
    long now = System.nanoTime();
    if (!last && now - lastDrawn < REDRAW_NANOS) {
      return;
    }
    lastDrawn = now;
    double fraction = Math.min(1.0, (double) inputBytesDone / totalBytes);
    int filled = (int) Math.round(fraction * WIDTH);
    double seconds = Math.max(1e-3, (now - started) / 1e9);
    out.printf(
        "\r[%s%s] %5.1f%%  %,d/%,d files  %,d documents  %.1f MB/s%s",
        "#".repeat(filled),
        " ".repeat(WIDTH - filled),
        100 * fraction,
        filesDone,
        totalFiles,
        documents,
        inputBytesDone / 1e6 / seconds,
        last ? System.lineSeparator() : "");
    out.flush();
  }
}
