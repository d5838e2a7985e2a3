package org.millrace.cli.commands;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.millrace.cli.Millrace;
import org.millrace.cli.ShutdownSignal;
import org.millrace.cli.local.LocalPipeline;
import org.millrace.processors.Stage;
import org.millrace.processors.Stages;
import org.millrace.processors.StreamsStage;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.lag.LagMetrics;
import org.millrace.runtime.metrics.MetricsEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** One Kafka Streams stage alone, against the configured cluster, until interrupted. */
public abstract class StageCommand implements Callable<Integer> {

  @ParentCommand Millrace millrace;

  private final Stage stage;

  StageCommand(Stage stage) {
    this.stage = stage;
  }

  @Override
  public Integer call() throws Exception {
    MillraceConfig config = millrace.config();
    LocalPipeline.ensureTopics(config);
    Optional<MetricsEndpoint> metrics = MetricsEndpoint.start(config);
    try (ShutdownSignal shutdown = new ShutdownSignal();
        StreamsStage running = stage.start(config)) {
      metrics.ifPresent(
          endpoint -> {
            running.bindMetrics(endpoint.registry());
            endpoint.watchLag(
                config,
                List.of(new LagMetrics.Watched(stage.applicationId(), stage.inputTopic(config))));
          });
      while (!shutdown.awaitRequest(1)) {
        if (running.failed()) {
          return 1;
        }
      }
    } finally {
      metrics.ifPresent(MetricsEndpoint::close);
    }
    return 0;
  }

  @Command(
      name = "clean",
      mixinStandardHelpOptions = true,
      header = "Run the clean stage alone.",
      description =
          "Run the clean stage: docs.raw -> extract and normalise text -> docs.clean (rejects to"
              + " docs.rejected).")
  public static final class Clean extends StageCommand {
    public Clean() {
      super(Stages.CLEAN);
    }
  }

  @Command(
      name = "dedup",
      mixinStandardHelpOptions = true,
      header = "Run the dedup stage alone.",
      description =
          "Run the dedup stage: docs.clean -> the first copy of each text, and of each cluster of"
              + " near duplicates (MinHash LSH), -> docs.unique; later copies -> docs.duplicates"
              + " with the original's id (docs/dedup.md).")
  public static final class Dedup extends StageCommand {
    public Dedup() {
      super(Stages.DEDUP);
    }
  }

  @Command(
      name = "tokenize",
      mixinStandardHelpOptions = true,
      header = "Run the tokenize stage alone.",
      description = "Run the tokenize stage: docs.unique -> token ids (tokenizer.file) -> tokens.")
  public static final class Tokenize extends StageCommand {
    public Tokenize() {
      super(Stages.TOKENIZE);
    }
  }
}
