package org.millrace.processors.clean;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The moment by which the work on one document must be done. The work checks it as it goes (on each
 * read of the input, every few hundred nodes of a traversal) and stops with {@link
 * DeadlineExceededException} once the moment has passed. Cooperative on purpose: the work stays on
 * the caller's thread, so nothing is left running after the deadline, unlike a watchdog thread that
 * cannot stop a parser stuck in a loop.
 */
final class Deadline {

  private final Duration budget;
  private final LongSupplier nanoClock;
  private final long endNanos;

  private Deadline(Duration budget, LongSupplier nanoClock) {
    this.budget = budget;
    this.nanoClock = nanoClock;
    this.endNanos = nanoClock.getAsLong() + budget.toNanos();
  }

  /** A deadline {@code budget} from now on the JVM's monotonic clock. */
  static Deadline after(Duration budget) {
    return after(budget, System::nanoTime);
  }

  /** A deadline {@code budget} from now on {@code nanoClock}, for tests. */
  static Deadline after(Duration budget, LongSupplier nanoClock) {
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("a time budget must be positive, not " + budget);
    }
    return new Deadline(budget, nanoClock);
  }

  Duration budget() {
    return budget;
  }

  boolean hasPassed() {
    return nanoClock.getAsLong() - endNanos > 0;
  }

  /**
   * @throws DeadlineExceededException once the deadline has passed
   */
  void check() {
    if (hasPassed()) {
      throw new DeadlineExceededException(budget);
    }
  }

  /** Thrown by {@link #check()} through code (jsoup's, visitors) that cannot throw checked ones. */
  static final class DeadlineExceededException extends RuntimeException {

    DeadlineExceededException(Duration budget) {
      super("the time budget of " + budget.toMillis() + " ms is spent", null, false, false);
    }
  }
}
