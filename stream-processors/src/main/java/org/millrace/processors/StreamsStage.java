package org.millrace.processors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
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
  private KafkaStreamsMetrics metricsBinder;
  private ScheduledExecutorService metricsRefresh;

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

  /**
   * Its stream threads, with their clients' ids (which carry the process id, as the transactional
   * ids of exactly_once_v2 do).
   */
  public Set<ThreadMetadata> threadMetadata() {
    return streams.metadataForLocalThreads();
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /**
   * Binds every metric of this stage to {@code registry}, through Micrometer's Kafka Streams
   * binder: Kafka Streams' own, its clients', and the stage's counters registered with Kafka
   * Streams (the dedup counters of docs/dedup.md among them).
   */
  public void bindMetrics(MeterRegistry registry) {
    metricsRefresh =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "millrace-" + name + "-metrics");
              thread.setDaemon(true);
              return thread;
            });
    // Tasks register their metrics (the dedup counters too) when they are assigned, after this
    // call: the binder looks for new ones every 10 s instead of its default minute.
    metricsBinder =
        new KafkaStreamsMetrics(streams, List.of(), metricsRefresh, Duration.ofSeconds(10));
    metricsBinder.bindTo(registry);
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
    if (metricsBinder != null) {
      metricsBinder.close();
      metricsRefresh.shutdownNow();
    }
    streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
    log.info("Stage {} stopped", name);
  }
}
