package org.millrace.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.trainer.model.GptConfig;
import org.millrace.trainer.optim.AdamWConfig;
import org.millrace.trainer.optim.ModelTrainer;
import org.millrace.trainer.optim.LearningRateSchedule;
import org.millrace.trainer.optim.OptimizerConfig;
import org.millrace.trainer.stream.TokenStreamPosition;

class CheckpointStoreTest {

  private static final OptimizerConfig OPTIMIZATION =
      new OptimizerConfig(AdamWConfig.gpt3(), new LearningRateSchedule(1e-3, 1e-4, 2, 100), 1.0f);

  @TempDir Path directory;
  private ModelTrainer trainer;

  @BeforeEach
  void build() {
    trainer = new ModelTrainer(new GptConfig(259, 8, 1, 1, 8, true), OPTIMIZATION, 1);
  }

  @AfterEach
  void close() {
    trainer.close();
  }

  @Test
  void savesAndRestoresThePositionAndTheCounters() throws Exception {
    CheckpointStore store = new CheckpointStore(directory, 2);
    TokenStreamPosition position =
        new TokenStreamPosition(
            Map.of(new TopicPartition("tokens", 0), 12L, new TopicPartition("tokens", 3), 7L),
            3,
            new int[] {5, 6, 7});
    TrainerState state = new TrainerState("run", 40, 4000, "fingerprint", 5.5f);

    Path saved = store.save(trainer, position, state);
    CheckpointStore.Restored restored = store.restore(store.latest().orElseThrow(), OPTIMIZATION);

    try (ModelTrainer restoredTrainer = restored.model()) {
      assertThat(saved.getFileName().toString()).isEqualTo("step-000000040");
      assertThat(restored.position()).isEqualTo(position);
      assertThat(restored.state()).isEqualTo(state);
    }
  }

  @Test
  void keepsOnlyTheNewestCheckpointsAndIgnoresATornOne() throws Exception {
    CheckpointStore store = new CheckpointStore(directory, 2);
    for (long step : new long[] {10, 20, 30}) {
      store.save(trainer, TokenStreamPosition.start(), new TrainerState("run", step, 0, "f", 1f));
    }
    // A crash while writing step 40 leaves its temporary folder behind, without the state file.
    Files.createDirectories(directory.resolve("step-000000040.tmp"));
    Files.writeString(directory.resolve("step-000000040.tmp/config.json"), "{");

    assertThat(store.checkpoints())
        .extracting(path -> path.getFileName().toString())
        .containsExactly("step-000000020", "step-000000030");
    assertThat(store.latest().orElseThrow().getFileName().toString()).isEqualTo("step-000000030");
  }

  @Test
  void anEmptyDirectoryHasNoCheckpoint() throws Exception {
    assertThat(new CheckpointStore(directory.resolve("never-written"), 1).latest()).isEmpty();
  }
}
