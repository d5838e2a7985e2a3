package org.millrace.processors;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Kafka Streams stage (clean, dedup or tokenize). Bad input never reaches here: the
 * topologies turn it into rejected records. An exception that does is a bug or a broken cluster, so
 * the stage shuts down and says so, instead of retrying the same record for ever.
 */
public final class StreamsStage implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StreamsStage.class);

  private final String name;
  private final KafkaStreams streams;
  private volatile Throwable failure;

  private StreamsStage(String name, Topology topology, Properties properties) {
    this.name = name;
    this.streams = new KafkaStreams(topology, properties);
    streams.setUncaughtExceptionHandler(
        exception -> {
          failure = exception;
          log.error("Stage {} failed and is shutting down", name, exception);
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    streams.setStateListener(
        (newState, oldState) -> log.debug("Stage {}: {} -> {}", name, oldState, newState));
  }

  public static StreamsStage start(String name, Topology topology, Properties properties) {
    StreamsStage stage = new StreamsStage(name, topology, properties);
    stage.streams.start();
    log.info("Stage {} started (application id {})", name, properties.get("application.id"));
    return stage;
  }

  public String name() {
    return name;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** Kafka Streams' metrics of this stage, the stage's own counters among them. */
  public Map<MetricName, ? extends Metric> metrics() {
    return streams.metrics();
  }

  /** Whether the stage stopped by itself: an error, not a shutdown we asked for. */
  public boolean failed() {
    return failure != null || streams.state() == KafkaStreams.State.ERROR;
  }

  public Throwable failure() {
    return failure;
  }

  /**
   * Stops the stage and leaves its consumer group, so that the partitions move at once to the other
   * instances, or to this one when it starts again, instead of after the group's session timeout.
   */
  @Override
  public void close() {
    streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
    log.info("Stage {} stopped", name);
  }
}
