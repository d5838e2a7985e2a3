package org.millrace.cli;

import org.millrace.cli.dashboard.Dashboard;
import org.millrace.cli.local.LocalPipeline;

import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.Topics;

/**
 * What {@code up} and {@code demo} print once everything runs: where things are and how to watch
 * them.
 */
public final class Banner {

  private Banner() {}

  public static void print(LocalPipeline pipeline) {
    MillraceConfig config = pipeline.config();
    Topics topics = Topics.of(config);
    System.out.println();
    System.out.println("Millrace is running.");
    System.out.println("  Kafka:        " + pipeline.bootstrapServers());
    System.out.println(
        "  Data:         " + config.dataDir() + "  (broker logs, state stores, checkpoints)");
    System.out.println(
        "  Feed it:      ./millrace feed PATH...   or   kcat -b "
            + pipeline.bootstrapServers()
            + " -t "
            + topics.raw()
            + " -P <<< '{\"text\": \"...\"}'");
    System.out.println(
        "  Watch:        ./millrace status        (lag of every stage, the trainer's step and"
            + " loss)");
    pipeline
        .dashboardUrl()
        .ifPresent(
            url ->
                System.out.println(
                    "  Dashboard:    "
                        + url
                        + "   (loss, lag, throughput, rejects, samples; live)"));
    System.out.println(
        "  Stop:         Ctrl-C                   (the trainer checkpoints; the next start"
            + " resumes)");
    System.out.println();
  }
}
