package org.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

public class PromQlMetricNamesTest {

  @Test
  void findsTheMetricsButNotFunctionsLabelsDurationsOrKeywords() {
    assertThat(
            PromQlMetricNames.of(
                "sum by (group, topic)"
                    + " (rate(kafka_stream_millrace_verdicts_total{outcome=\"passed\","
                    + " stage=~\"clean|dedup\"}[$__rate_interval] offset 1h)) > 0 and on (group)"
                    + " max by (group) (millrace_consumer_lag_seconds) > 2.5e3"))
        .containsExactly("kafka_stream_millrace_verdicts_total", "millrace_consumer_lag_seconds");
  }

  @Test
  void findsRecordingRulesAndBareSelectorsBesideTime() {
    assertThat(
            PromQlMetricNames.of(
                "time() - millrace_trainer_checkpoint_timestamp_seconds > 3600 and"
                    + " stage:millrace_reject_ratio:rate10m\n  or up"))
        .containsExactly(
            "millrace_trainer_checkpoint_timestamp_seconds",
            "stage:millrace_reject_ratio:rate10m",
            "up");
  }
}
