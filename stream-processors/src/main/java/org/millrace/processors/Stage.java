package org.millrace.processors;

import java.io.IOException;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.streams.Topology;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.Topics;

/**
 * One Kafka Streams stage of the pipeline, as everything that runs or watches it knows it: its name
 * (the {@code stage} of its rejections), its application id (which is also its consumer group), the
 * topic it reads, and how to build its topology. {@link Stages#ALL} lists them in the order the
 * data flows.
 */
public record Stage(
    String name,
    String applicationId,
    Function<Topics, String> inputTopicOf,
    TopologyFactory topologyFactory) {

  /** Builds a stage's topology from the configuration (loading its tokenizer, for instance). */
  @FunctionalInterface
  public interface TopologyFactory {
    Topology build(MillraceConfig config, String applicationId) throws IOException;
  }

  /** The topic the stage reads under this configuration's topic prefix. */
  public String inputTopic(MillraceConfig config) {
    return inputTopicOf.apply(Topics.of(config));
  }

  public Topology topology(MillraceConfig config) throws IOException {
    return topologyFactory.build(config, applicationId);
  }

  /** Kafka Streams' properties for this stage. */
  public Properties streamsProperties(MillraceConfig config) {
    return KafkaClientProperties.streams(config, applicationId);
  }

  /** Builds the topology and starts the stage. */
  public StreamsStage start(MillraceConfig config) throws IOException {
    return StreamsStage.start(name, topology(config), streamsProperties(config));
  }

  /**
   * The same stage under another application id, so that a benchmark's run neither shares state nor
   * committed offsets with the pipeline's, nor with its previous runs.
   */
  public Stage withApplicationId(String otherApplicationId) {
    return new Stage(name, otherApplicationId, inputTopicOf, topologyFactory);
  }
}
