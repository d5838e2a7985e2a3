package org.millrace.cli.commands;

import java.io.PrintWriter;
import java.util.function.IntConsumer;

/**
 * A one-line progress bar redrawn in place ({@code \r}) on the error stream, so that the standard
 * output stays clean for scripts: {@code [######### ] 450/1,000 requests}.
 */
final class ProgressBar implements IntConsumer {

  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final int total;
  private final String unit;
  private int drawn = -1;

  ProgressBar(PrintWriter err, int total, String unit) {
    this.err = err;
    this.total = total;
    this.unit = unit;
  }

  /** Redraws the bar at {@code done} of the total when it has moved by a character. */
  @Override
  public void accept(int done) {
    int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
    if (filled == drawn && done < total) {
      return;
    }
    drawn = filled;
    err.printf(
        "\r[%s%s] %,d/%,d %s", "#".repeat(filled), " ".repeat(WIDTH - filled), done, total, unit);
    if (done >= total) {
      err.println();
    }
    err.flush();
  }
}
