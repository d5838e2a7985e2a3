package org.millrace.cli.commands;

import java.util.concurrent.Callable;
import org.millrace.cli.Banner;
import org.millrace.cli.Millrace;
import org.millrace.cli.ShutdownSignal;
import org.millrace.cli.local.LocalPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code millrace up}: every stage in this process, until interrupted. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    header = "Run every stage and the trainer in this process.",
    description = {
      "Run everything in this process: an embedded Kafka broker (unless bootstrap.servers is set),",
      "the topics, the clean, dedup and tokenize stages and the trainer. Stop with Ctrl-C."
    })
public final class UpCommand implements Callable<Integer> {

  @ParentCommand Millrace millrace;

  @Override
  public Integer call() throws Exception {
    try (LocalPipeline pipeline = LocalPipeline.start(millrace.config(), true)) {
      Banner.print(pipeline);
      return runUntilInterrupted(pipeline);
    }
  }

  /**
   * Blocks until Ctrl-C (then stops everything cleanly) or until a stage fails (then exits
   * non-zero).
   */
  static int runUntilInterrupted(LocalPipeline pipeline) throws InterruptedException {
    return runUntilInterrupted(pipeline, () -> {});
  }

  /**
   * As {@link #runUntilInterrupted(LocalPipeline)}, running {@code beforeClose} (on Ctrl-C, or when
   * a stage fails) before the pipeline is closed: a producer feeding it stops first.
   */
  static int runUntilInterrupted(LocalPipeline pipeline, Runnable beforeClose)
      throws InterruptedException {
    try (ShutdownSignal shutdown = new ShutdownSignal()) {
      try {
        while (!shutdown.awaitRequest(1)) {
          if (pipeline.failure().isPresent()) {
            System.err.println("millrace: " + pipeline.failure().get());
            return 1;
          }
        }
        System.err.println("millrace: stopping (the trainer writes a last checkpoint)...");
        return 0;
      } finally {
        beforeClose.run();
        pipeline.close();
      }
    }
  }
}
