package org.millrace.processors.dedup;

import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * The dedup stage's counters, registered with Kafka Streams' metrics (so they appear in {@code
 * KafkaStreams.metrics()} and over JMX) in the group {@link DedupTopology#METRICS_GROUP}, tagged
 * with the thread and the task: {@code <event>-total} and {@code <name>-rate} for each event, and
 * gauges of the entries in each store.
 */
final class DedupMetrics {

  static final String SCOPE = "millrace-dedup";
  static final String GROUP = DedupTopology.METRICS_GROUP;

  private final StreamsMetrics metrics;
  private final String task;

  DedupMetrics(ProcessorContext<?, ?> context) {
    this.metrics = context.metrics();
    this.task = context.taskId().toString();
  }

  /** A sensor counting one kind of event: documents-in, unique, exact-duplicates, ... */
  Sensor counter(String event) {
    return metrics.addRateTotalSensor(SCOPE, task, event, Sensor.RecordingLevel.INFO);
  }

  /**
   * A sensor whose last recorded value is the metric {@code <name>} (for example state entries).
   */
  Sensor gauge(String name, String description) {
    Sensor sensor = metrics.addSensor(SCOPE + "." + task + "." + name, Sensor.RecordingLevel.INFO);
    sensor.add(
        new MetricName(
            name,
            GROUP,
            description,
            Map.of("thread-id", Thread.currentThread().getName(), SCOPE + "-id", task)),
        new Value());
    return sensor;
  }
}
