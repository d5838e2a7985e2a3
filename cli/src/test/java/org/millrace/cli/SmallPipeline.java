package org.millrace.cli;

import java.util.HashMap;
import java.util.Map;
import org.millrace.cli.dashboard.DashboardKeys;
import org.millrace.processors.clean.CleanKeys;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.trainer.TrainerKeys;

/** The settings the pipeline tests share: a whole pipeline, small and quick enough for a test. */
final class SmallPipeline {

  private SmallPipeline() {}

  /**
   * No quality filters (the tests feed short javadoc pages and copies that the filters would drop;
   * CleanTopologyTest tests the filters), two partitions, a Streams commit every 200 ms, no
   * dashboard (DashboardIT tests it), and a model trained on 4 sequences of 32 tokens a step that
   * reports every step; {@code more} on top, replacing any of these.
   */
  static Map<String, String> settings(Map<String, String> more) {
    Map<String, String> settings =
        new HashMap<>(
            Map.of(
                CleanKeys.FILTERS_CHAIN, "",
                MillraceConfig.TOPICS_PARTITIONS, "2",
                MillraceConfig.STREAMS_COMMIT_INTERVAL_MS, "200",
                DashboardKeys.PORT, "-1",
                TrainerKeys.BATCH_SIZE, "4",
                TrainerKeys.BLOCK_SIZE, "32",
                TrainerKeys.PROGRESS_INTERVAL_STEPS, "1"));
    settings.putAll(more);
    return settings;
  }
}
