package org.millrace.processors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millrace.processors.clean.CleanKeys;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.KafkaBrokerExtension;

/**
 * A stateless stage restarted on the same data directory keeps its process id, and so the
 * transactional id of its producer: the restarted instance fences its predecessor's open
 * transaction at once, instead of leaving it to time out while read_committed consumers wait.
 */
class StableIdentityIT {

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  @Test
  void aRestartedCleanStageUsesTheTransactionalIdOfItsPredecessor() throws Exception {
    MillraceConfig config = kafka.pipeline("identity", Map.of(CleanKeys.FILTERS_CHAIN, ""));
    Set<String> first = producerClientIds(config);
    Set<String> second = producerClientIds(config);
    assertThat(first).isNotEmpty();
    assertThat(second).as("the producers of the restarted stage").isEqualTo(first);

    Path processFile = config.dataDir().resolve("streams").resolve(Stages.CLEAN.applicationId());
    try (var files = Files.list(processFile)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("the process id kept in the state directory")
          .contains("kafka-streams-process-metadata");
    }
  }

  /** Starts the clean stage, waits until it runs, and returns its producers' client ids. */
  private static Set<String> producerClientIds(MillraceConfig config) throws Exception {
    try (StreamsStage stage = Stages.CLEAN.start(config)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (stage.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(stage.state()).isEqualTo(KafkaStreams.State.RUNNING);
      Set<String> ids = new TreeSet<>();
      for (ThreadMetadata thread : stage.threadMetadata()) {
        ids.addAll(thread.producerClientIds());
      }
      return ids;
    }
  }
}
