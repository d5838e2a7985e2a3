package org.millrace.cli;

import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.Topology;
import org.millrace.processors.StreamsStage;
import org.millrace.processors.clean.CleanTopology;
import org.millrace.processors.dedup.DedupTopology;
import org.millrace.processors.tokenize.TokenizeTopology;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** One Kafka Streams stage alone, against the configured cluster, until interrupted. */
abstract class StageCommand implements Callable<Integer> {

  @ParentCommand Millrace millrace;

  abstract String stage();

  abstract String applicationId();

  abstract Topology topology(MillraceConfig config);

  @Override
  public Integer call() throws Exception {
    MillraceConfig config = millrace.config();
    LocalPipeline.ensureTopics(config);
    Properties properties = KafkaClientProperties.streams(config, applicationId());
    try (ShutdownSignal shutdown = new ShutdownSignal();
        StreamsStage stage = StreamsStage.start(stage(), topology(config), properties)) {
      while (!shutdown.awaitRequest(1)) {
        if (stage.failed()) {
          return 1;
        }
      }
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
    @Override
    String stage() {
      return "clean";
    }

    @Override
    String applicationId() {
      return CleanTopology.APPLICATION_ID;
    }

    @Override
    Topology topology(MillraceConfig config) {
      return CleanTopology.build(config);
    }
  }

  @Command(
      name = "dedup",
      mixinStandardHelpOptions = true,
      header = "Run the dedup stage alone.",
      description =
          "Run the dedup stage: docs.clean -> first copy of each text -> docs.unique, later copies"
              + " -> docs.duplicates.")
  static final class Dedup extends StageCommand {
    @Override
    String stage() {
      return "dedup";
    }

    @Override
    String applicationId() {
      return DedupTopology.APPLICATION_ID;
    }

    @Override
    Topology topology(MillraceConfig config) {
      return DedupTopology.build(config);
    }
  }

  @Command(
      name = "tokenize",
      mixinStandardHelpOptions = true,
      header = "Run the tokenize stage alone.",
      description =
          "Run the tokenize stage: docs.unique -> token ids (byte-level tokenizer) -> tokens.")
  static final class Tokenize extends StageCommand {
    @Override
    String stage() {
      return "tokenize";
    }

    @Override
    String applicationId() {
      return TokenizeTopology.APPLICATION_ID;
    }

    @Override
    Topology topology(MillraceConfig config) {
      return TokenizeTopology.build(config, LocalPipeline.tokenizer());
    }
  }
}
