package org.millrace.processors;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.state.Stores;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;

/** What every stage's topology starts from. */
public final class Topologies {

  /** The store that gives a stateless stage a stable identity: see {@link #withStableIdentity}. */
  public static final String IDENTITY_STORE = "stage-identity";

  private Topologies() {}

  /**
   * Adds a persistent store, never written, to a topology that has none, and returns its name, for
   * the stage's processor to connect to. Kafka Streams keeps its process id in the state directory
   * only for a topology with a persistent store, and gives every other start a new random one. With
   * exactly_once_v2 the producer's transactional id is the application id, the process id and the
   * thread's index: a stateless stage restarted after a crash got a new one, so its predecessor's
   * open transaction was not fenced but left to time out (transaction.timeout.ms), and every
   * read_committed consumer downstream waited for it. With the process id kept in {@code
   * data.dir/streams}, the restarted instance takes the same transactional id and aborts the
   * predecessor's transaction at once. The store has no changelog and holds nothing.
   */
  public static String withStableIdentity(StreamsBuilder builder) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(IDENTITY_STORE), Serdes.Bytes(), Serdes.Bytes())
            .withLoggingDisabled());
    return IDENTITY_STORE;
  }

  /**
   * A builder that knows the configuration the stage runs with, so that topology-level settings
   * (exception handlers, buffering) are the application's, not Kafka Streams' defaults.
   */
  public static StreamsBuilder builder(MillraceConfig config, String applicationId) {
    return builder(config, applicationId, Map.of());
  }

  /** The same, with topology-level settings of the stage's own ({@code max.task.idle.ms}, ...). */
  public static StreamsBuilder builder(
      MillraceConfig config, String applicationId, Map<String, Object> topologySettings) {
    Properties properties = KafkaClientProperties.streams(config, applicationId);
    properties.putAll(topologySettings);
    return new StreamsBuilder(new TopologyConfig(new StreamsConfig(properties)));
  }
}
