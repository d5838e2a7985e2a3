package org.millrace.processors;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.millrace.schemas.RejectedDocument;

/**
 * Counts every verdict of a stage in Kafka Streams' metrics, and passes it on unchanged: the metric
 * {@value #METRIC} in the group {@value #GROUP}, tagged with the stage, the outcome ({@code passed}
 * or {@code rejected}), the reason code and the filter (empty when they do not apply). Micrometer's
 * Kafka Streams binder serves it as {@code kafka_stream_millrace_verdicts_total}: records out of a
 * stage, and rejects by reason and filter, on every metrics endpoint.
 */
final class VerdictCounter<T> implements FixedKeyProcessor<String, Verdict<T>, Verdict<T>> {

  static final String GROUP = "stream-millrace-metrics";
  static final String METRIC = "verdicts-total";

  private final String stage;

  /** The rejections' sensors, by reason and filter; created on the first of each. */
  private final Map<Rejected, Sensor> rejectedSensors = new HashMap<>();

  private FixedKeyProcessorContext<String, Verdict<T>> context;
  private Sensor passed;

  private record Rejected(String reason, String filter) {}

  VerdictCounter(String stage) {
    this.stage = stage;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Verdict<T>> context) {
    this.context = context;
    this.passed = sensor("passed", "", "");
  }

  @Override
  public void process(FixedKeyRecord<String, Verdict<T>> record) {
    if (record.value() instanceof Verdict.Reject<T> reject) {
      RejectedDocument rejected = reject.rejected();
      Rejected key =
          new Rejected(
              rejected.getReason(), rejected.getFilter() == null ? "" : rejected.getFilter());
      rejectedSensors
          .computeIfAbsent(key, k -> sensor("rejected", k.reason(), k.filter()))
          .record();
    } else {
      passed.record();
    }
    context.forward(record);
  }

  private Sensor sensor(String outcome, String reason, String filter) {
    String task = context.taskId().toString();
    String name = "millrace." + task + "." + stage + "." + outcome + "." + reason + "." + filter;
    Sensor sensor = context.metrics().addSensor(name, Sensor.RecordingLevel.INFO);
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("thread-id", Thread.currentThread().getName());
    tags.put("task-id", task);
    tags.put("stage", stage);
    tags.put("outcome", outcome);
    tags.put("reason", reason);
    tags.put("filter", filter);
    sensor.add(
        new MetricName(
            METRIC, GROUP, "Records a stage passed on or rejected, by reason and filter", tags),
        new CumulativeCount());
    return sensor;
  }
}
