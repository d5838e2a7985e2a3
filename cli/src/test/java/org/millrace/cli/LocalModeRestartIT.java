package org.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.cli.local.LocalPipeline;
import org.millrace.producers.feed.FeedSettings;
import org.millrace.producers.feed.Feeder;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.TopicRecords;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.DuplicateRecord;
import org.millrace.schemas.TrainerProgress;
import org.millrace.trainer.TrainerKeys;

/**
 * Local mode keeps everything under data.dir: stopped and started again, the embedded broker still
 * has every topic and record, the dedup stage still knows every text it saw, and the trainer
 * resumes from its checkpoint.
 */
public class LocalModeRestartIT {

  private static final Path DEMO_CORPUS = Path.of("target/demo-corpus/picocli");

  @TempDir Path dataDir;

  @Test
  void aRestartedLocalPipelineKeepsItsTopicsItsDedupStateAndItsTrainer() throws Exception {
    MillraceConfig config =
        MillraceConfig.of(
            SmallPipeline.settings(
                Map.of(
                    MillraceConfig.DATA_DIR, dataDir.toString(),
                    MillraceConfig.BROKER_PORT, "0",
                    TrainerKeys.CHECKPOINT_INTERVAL_STEPS, "5",
                    TrainerKeys.MAX_STEPS, "10")));
    Topics topics = Topics.of(config);
    Path page;
    try (Stream<Path> pages = Files.list(DEMO_CORPUS)) {
      page =
          pages.filter(p -> p.toString().endsWith("overview-tree.html")).findFirst().orElseThrow();
    }

    long rawBefore;
    try (LocalPipeline first = LocalPipeline.start(config, true)) {
      try (Feeder feeder = new Feeder(first.config())) {
        feeder.feed(List.of(DEMO_CORPUS));
      }
      await(first::trainerDone);
      assertThat(first.failure()).isEmpty();
      rawBefore = TopicRecords.readAll(first.bootstrapServers(), topics.raw()).size();
    }

    try (LocalPipeline second =
        LocalPipeline.start(config.with(Map.of(TrainerKeys.MAX_STEPS, "20")), true)) {
      assertThat(TopicRecords.readAll(second.bootstrapServers(), topics.raw()))
          .hasSize((int) rawBefore);
      // Seen before the restart; fed again without the feed's progress, which would skip it.
      try (Feeder feeder = new Feeder(second.config(), FeedSettings.defaults().withResume(false))) {
        feeder.feed(List.of(page));
      }
      await(
          () ->
              duplicates(second).stream()
                  .anyMatch(d -> d.getDuplicateId().equals(d.getOriginalId())));
      await(second::trainerDone);
      assertThat(second.failure()).isEmpty();

      List<Long> steps =
          TopicRecords.readAll(second.bootstrapServers(), topics.progress()).stream()
              .map(r -> AvroSerde.trainerProgress().decode(r.value()))
              .map(TrainerProgress::getStep)
              .toList();
      assertThat(steps)
          .as("steps 1-10, then 11-20 after resuming from the checkpoint of step 10")
          .containsExactlyElementsOf(
              java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
    }
  }

  private static List<DuplicateRecord> duplicates(LocalPipeline pipeline) {
    return TopicRecords.readAll(
            pipeline.bootstrapServers(), Topics.of(pipeline.config()).duplicates())
        .stream()
        .map(r -> AvroSerde.duplicateRecord().decode(r.value()))
        .toList();
  }

  private static void await(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 3 minutes").isLessThan(deadline);
      Thread.sleep(500);
    }
  }
}
