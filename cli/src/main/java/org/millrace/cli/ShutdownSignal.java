package org.millrace.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT or SIGTERM) for a long-running command: the JVM's shutdown hook asks the command
 * to stop, then holds the JVM up until the command has finished stopping (the trainer's last
 * checkpoint, the Streams stages' last commit), which {@link #close()} signals.
 */
public final class ShutdownSignal implements AutoCloseable {

  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  /**
   * @param onRequest run on the hook's thread when shutdown is requested
   */
  public ShutdownSignal(Runnable onRequest) {
    this.hook =
        new Thread(
            () -> {
              onRequest.run();
              requested.countDown();
              try {
                finished.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "millrace-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  public ShutdownSignal() {
    this(() -> {});
  }

  /** Waits up to {@code seconds} for a shutdown request; true when one came. */
  public boolean awaitRequest(long seconds) throws InterruptedException {
    return requested.await(seconds, TimeUnit.SECONDS);
  }

  public boolean requested() {
    return requested.getCount() == 0;
  }

  /** The command has stopped: let the JVM go (or, without a request, stop listening for one). */
  @Override
  public void close() {
    finished.countDown();
    if (!requested()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running already and has just been released
      }
    }
  }
}
