package org.millrace.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.millrace.trainer.model.Architecture;
import org.millrace.trainer.model.GptConfig;
import org.millrace.trainer.model.LlamaConfig;
import org.millrace.trainer.model.ModelConfig;
import org.millrace.trainer.optim.AdamWConfig;
import org.millrace.trainer.optim.LearningRateSchedule;
import org.millrace.trainer.optim.ModelTrainer;
import org.millrace.trainer.optim.OptimizerConfig;
import org.millrace.trainer.optim.TrainingStep;

class ModelCheckpointTest {

  private static final int VOCAB = 128;
  private static final OptimizerConfig OPTIMIZATION =
      new OptimizerConfig(AdamWConfig.gpt3(), new LearningRateSchedule(1e-3, 1e-4, 3, 100), 1.0f);
  private static final int BATCH = 4;
  private static final int T = 32;

  @TempDir Path dir;

  private static ModelConfig tiny(Architecture architecture) {
    return architecture.preset("tiny", VOCAB, VOCAB - 1);
  }

  private static int[] batch(int index) {
    return new Random(index).ints((long) BATCH * (T + 1), 0, VOCAB).toArray();
  }

  /** A trainer of seed 11 that has taken 5 steps on batches 0 to 4. */
  private static ModelTrainer trainedFiveSteps(ModelConfig config) {
    ModelTrainer trainer = new ModelTrainer(config, OPTIMIZATION, 11);
    for (int i = 0; i < 5; i++) {
      trainer.step(batch(i), BATCH);
    }
    return trainer;
  }

  @ParameterizedTest
  @EnumSource(Architecture.class)
  void aLoadedTrainerContinuesExactlyAsTheOriginal(Architecture architecture) throws IOException {
    try (ModelTrainer original = trainedFiveSteps(tiny(architecture))) {
      ModelCheckpoint.save(original, dir);
      try (ModelTrainer loaded = ModelCheckpoint.load(dir, OPTIMIZATION)) {
        assertThat(loaded.model().config()).isEqualTo(tiny(architecture));
        assertThat(loaded.seed()).isEqualTo(11);
        // loading leaves nothing behind but the parameters and their two moments
        assertThat(loaded.manager().getManagedArrays())
            .hasSize(3 * loaded.model().namedParameters().size());
        assertThat(loaded.evaluate(batch(99), BATCH))
            .isEqualTo(original.evaluate(batch(99), BATCH));
        for (int i = 5; i < 8; i++) {
          TrainingStep expected = original.step(batch(i), BATCH);
          // bit-exact: same weights, moments, step count, learning rate and (encoder) masks
          assertThat(loaded.step(batch(i), BATCH)).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void aCheckpointLoadsOnAThreadOtherThanTheEngines() throws Exception {
    try (ModelTrainer original = trainedFiveSteps(GptConfig.tiny(VOCAB))) {
      ModelCheckpoint.save(original, dir);
      float expected = original.evaluate(batch(99), BATCH);
      // PyTorch records gradients on every new thread: the dashboard loads checkpoints on its own
      float[] loss = new float[1];
      Throwable[] failure = new Throwable[1];
      Thread thread =
          new Thread(
              () -> {
                try (ModelTrainer loaded = ModelCheckpoint.load(dir, OPTIMIZATION)) {
                  loss[0] = loaded.evaluate(batch(99), BATCH);
                } catch (Throwable e) {
                  failure[0] = e;
                }
              });
      thread.start();
      thread.join();

      assertThat(failure[0]).isNull();
      assertThat(loss[0]).isEqualTo(expected);
    }
  }

  @Test
  void aConfigFileOfTheFirstFormatLoadsAsAGpt() throws IOException {
    GptConfig config = GptConfig.tiny(VOCAB);
    try (ModelTrainer original = trainedFiveSteps(config)) {
      ModelCheckpoint.save(original, dir);
      // config.json as the trainer wrote it before there was a choice of architecture
      Files.writeString(
          dir.resolve(ModelCheckpoint.CONFIG_FILE),
          """
          {
            "vocabSize" : 128,
            "blockSize" : 64,
            "layers" : 2,
            "heads" : 2,
            "embeddingDim" : 64,
            "tiedEmbeddings" : true
          }
          """);
      try (ModelTrainer loaded = ModelCheckpoint.load(dir, OPTIMIZATION)) {
        assertThat(loaded.model().config()).isEqualTo(config);
        assertThat(loaded.step(batch(5), BATCH)).isEqualTo(original.step(batch(5), BATCH));
      }
    }
  }

  @Test
  void theConfigFileNamesTheArchitectureItsFieldsAndTheSeed() throws IOException {
    LlamaConfig config = LlamaConfig.tiny(VOCAB);
    try (ModelTrainer trainer = new ModelTrainer(config, OPTIMIZATION, 11)) {
      ModelCheckpoint.save(trainer, dir);
    }

    JsonNode json = new ObjectMapper().readTree(dir.resolve(ModelCheckpoint.CONFIG_FILE).toFile());
    assertThat(json.get("architecture").asText()).isEqualTo("llama");
    assertThat(json.get("seed").asInt()).isEqualTo(11);
    assertThat(new ObjectMapper().treeToValue(json.get("model"), LlamaConfig.class))
        .isEqualTo(config);
    assertThat(json.get("model").fieldNames())
        .toIterable()
        .containsExactly(
            "vocabSize",
            "blockSize",
            "layers",
            "heads",
            "kvHeads",
            "embeddingDim",
            "hiddenDim",
            "ropeTheta",
            "tiedEmbeddings");
  }

  @Test
  void refusesAnUnknownArchitecture() throws IOException {
    try (ModelTrainer trainer = new ModelTrainer(GptConfig.tiny(VOCAB), OPTIMIZATION, 1)) {
      ModelCheckpoint.save(trainer, dir);
    }
    Path config = dir.resolve(ModelCheckpoint.CONFIG_FILE);
    Files.writeString(config, Files.readString(config).replace("\"gpt\"", "\"mamba\""));

    assertThatThrownBy(() -> ModelCheckpoint.load(dir, OPTIMIZATION))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown architecture 'mamba', expected one of [gpt, llama, encoder, hybrid]");
  }

  @Test
  void withoutTheMomentsTheTrainerWouldDiverge() throws IOException {
    try (ModelTrainer original = trainedFiveSteps(GptConfig.tiny(VOCAB))) {
      ModelCheckpoint.save(original, dir);
      try (ModelTrainer loaded = ModelCheckpoint.load(dir, OPTIMIZATION);
          NDManager scratch = NDManager.newBaseManager()) {
        // keep the weights and the step count, but zero the first and second moments
        NDList zeroMoments = new NDList();
        for (NDArray array : read(scratch, ModelCheckpoint.OPTIMIZER_FILE)) {
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
    try (ModelTrainer trainer = trainedFiveSteps(GptConfig.tiny(VOCAB));
        NDManager scratch = NDManager.newBaseManager()) {
      ModelCheckpoint.save(trainer, dir);

      NDList weights = read(scratch, ModelCheckpoint.MODEL_FILE);
      assertThat(weights.stream().map(NDArray::getName))
          .containsExactlyInAnyOrderElementsOf(trainer.model().namedParameters().keySet());
      String qkv = "blocks.1.attention.qkv.weight";
      assertThat(weights.get(qkv).toFloatArray())
          .containsExactly(trainer.model().weights().get(qkv).toFloatArray());

      NDList optimizer = read(scratch, ModelCheckpoint.OPTIMIZER_FILE);
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
