package org.millrace.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.trainer.model.GptConfig;
import org.millrace.trainer.optim.AdamWConfig;
import org.millrace.trainer.optim.GptTrainer;
import org.millrace.trainer.optim.LearningRateSchedule;
import org.millrace.trainer.optim.OptimizerConfig;
import org.millrace.trainer.optim.TrainingStep;

class GptCheckpointTest {

  private static final GptConfig CONFIG = GptConfig.tiny(128);
  private static final OptimizerConfig OPTIMIZATION =
      new OptimizerConfig(AdamWConfig.gpt3(), new LearningRateSchedule(1e-3, 1e-4, 3, 100), 1.0f);
  private static final int BATCH = 4;
  private static final int T = 32;

  @TempDir Path dir;

  private static int[] batch(int index) {
    return new Random(index).ints((long) BATCH * (T + 1), 0, CONFIG.vocabSize()).toArray();
  }

  /** A trainer that has taken 5 steps on batches 0 to 4. */
  private static GptTrainer trainedFiveSteps() {
    GptTrainer trainer = new GptTrainer(CONFIG, OPTIMIZATION, 1);
    for (int i = 0; i < 5; i++) {
      trainer.step(batch(i), BATCH);
    }
    return trainer;
  }

  @Test
  void aLoadedTrainerContinuesExactlyAsTheOriginal() throws IOException {
    try (GptTrainer original = trainedFiveSteps()) {
      GptCheckpoint.save(original, dir);
      try (GptTrainer loaded = GptCheckpoint.load(dir, OPTIMIZATION)) {
        // loading leaves nothing behind but the parameters and their two moments
        assertThat(loaded.manager().getManagedArrays())
            .hasSize(3 * loaded.model().namedParameters().size());
        assertThat(loaded.evaluate(batch(99), BATCH))
            .isEqualTo(original.evaluate(batch(99), BATCH));
        for (int i = 5; i < 8; i++) {
          TrainingStep expected = original.step(batch(i), BATCH);
          // bit-exact: same weights, moments, step count and learning rate
          assertThat(loaded.step(batch(i), BATCH)).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void withoutTheMomentsTheTrainerWouldDiverge() throws IOException {
    try (GptTrainer original = trainedFiveSteps()) {
      GptCheckpoint.save(original, dir);
      try (GptTrainer loaded = GptCheckpoint.load(dir, OPTIMIZATION);
          NDManager scratch = NDManager.newBaseManager()) {
        // keep the weights and the step count, but zero the first and second moments
        NDList zeroMoments = new NDList();
        for (NDArray array : read(scratch, GptCheckpoint.OPTIMIZER_FILE)) {
          NDArray kept = array.getName().equals("step") ? array : array.zerosLike();
          kept.setName(array.getName());
          zeroMoments.add(kept);
        }
        loaded.optimizer().loadState(zeroMoments);

        TrainingStep expected = original.step(batch(5), BATCH);
        TrainingStep withoutMoments = loaded.step(batch(5), BATCH);
        assertThat(withoutMoments.loss()).as("same weights").isEqualTo(expected.loss());
        assertThat(loaded.step(batch(6), BATCH).loss())
            .as("an update from lost moments")
            .isNotEqualTo(original.step(batch(6), BATCH).loss());
      }
    }
  }

  @Test
  void everyArrayIsStoredUnderItsName() throws IOException {
    try (GptTrainer trainer = trainedFiveSteps();
        NDManager scratch = NDManager.newBaseManager()) {
      GptCheckpoint.save(trainer, dir);

      String json = Files.readString(dir.resolve(GptCheckpoint.CONFIG_FILE));
      assertThat(new ObjectMapper().readValue(json, GptConfig.class)).isEqualTo(CONFIG);
      assertThat(json).contains("\"embeddingDim\" : 64");

      NDList weights = read(scratch, GptCheckpoint.MODEL_FILE);
      assertThat(weights.stream().map(NDArray::getName))
          .containsExactlyInAnyOrderElementsOf(trainer.model().namedParameters().keySet());
      String qkv = "blocks.1.attention.qkv.weight";
      assertThat(weights.get(qkv).toFloatArray())
          .containsExactly(trainer.model().weights().get(qkv).toFloatArray());

      NDList optimizer = read(scratch, GptCheckpoint.OPTIMIZER_FILE);
      assertThat(optimizer.get("step").getLong()).isEqualTo(5);
      assertThat(optimizer.get("m.blocks.0.attention.qkv.weight")).isNotNull();
      assertThat(optimizer.get("v.finalNorm.gamma")).isNotNull();
      assertThat(optimizer).hasSize(1 + 2 * trainer.model().namedParameters().size());
    }
  }

  private NDList read(NDManager manager, String file) throws IOException {
    try (InputStream in = Files.newInputStream(dir.resolve(file))) {
      return NDList.decode(manager, in);
    }
  }
}
