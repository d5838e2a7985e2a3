package org.millrace.processors;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;

/** What every stage's topology starts from. */
public final class Topologies {

  private Topologies() {}

  /**
   * A builder that knows the configuration the stage runs with, so that topology-level settings
   * (exception handlers, buffering) are the application's, not Kafka Streams' defaults.
   */
  public static StreamsBuilder builder(MillraceConfig config, String applicationId) {
    return new StreamsBuilder(
        new TopologyConfig(
            new StreamsConfig(KafkaClientProperties.streams(config, applicationId))));
  }
}
