package org.millrace.cli;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.kafka.streams.Topology;
import org.millrace.processors.StreamsStage;
import org.millrace.processors.clean.CleanTopology;
import org.millrace.processors.dedup.DedupTopology;
import org.millrace.processors.tokenize.TokenStreamGuard;
import org.millrace.processors.tokenize.TokenizeTopology;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.lag.LagMetrics;
import org.millrace.runtime.metrics.MetricsEndpoint;
import org.millrace.runtime.topics.Topics;
import org.millrace.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** One Kafka Streams stage alone, against the configured cluster, until interrupted. */
abstract class StageCommand implements Callable<Integer> {

  @ParentCommand Millrace millrace;

  private final String stage;
  private final String applicationId;
  private final Function<Topics, String> inputTopic;
  private final TopologyFactory topology;

  /** Builds a stage's topology from the configuration (loading its tokenizer, for instance). */
  @FunctionalInterface
  interface TopologyFactory {
    Topology build(MillraceConfig config) throws IOException;
  }

  StageCommand(
      String stage,
      String applicationId,
      Function<Topics, String> inputTopic,
      TopologyFactory topology) {
    this.stage = stage;
    this.inputTopic = inputTopic;
    this.applicationId = applicationId;
    this.topology = topology;
  }

  @Override
  public Integer call() throws Exception {
    MillraceConfig config = millrace.config();
    LocalPipeline.ensureTopics(config);
    Optional<MetricsEndpoint> metrics = MetricsEndpoint.start(config);
    try (ShutdownSignal shutdown = new ShutdownSignal();
        StreamsStage running =
            StreamsStage.start(
                stage,
                topology.build(config),
                KafkaClientProperties.streams(config, applicationId))) {
      metrics.ifPresent(
          endpoint -> {
            running.bindMetrics(endpoint.registry());
            endpoint.watchLag(
                config,
                List.of(
                    new LagMetrics.Watched(applicationId, inputTopic.apply(Topics.of(config)))));
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
  static final class Clean extends StageCommand {
    Clean() {
      super("clean", CleanTopology.APPLICATION_ID, Topics::raw, CleanTopology::build);
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
  static final class Dedup extends StageCommand {
    Dedup() {
      super("dedup", DedupTopology.APPLICATION_ID, Topics::clean, DedupTopology::build);
    }
  }

  @Command(
      name = "tokenize",
      mixinStandardHelpOptions = true,
      header = "Run the tokenize stage alone.",
      description = "Run the tokenize stage: docs.unique -> token ids (tokenizer.file) -> tokens.")
  static final class Tokenize extends StageCommand {
    Tokenize() {
      super(
          "tokenize",
          TokenizeTopology.APPLICATION_ID,
          Topics::unique,
          config -> {
            Tokenizer tokenizer = LocalPipeline.tokenizer(config);
            TokenStreamGuard.requireSameTokenizer(
                config, tokenizer.fingerprint(), tokenizer.toString());
            return TokenizeTopology.build(config, tokenizer);
          });
    }
  }
}
