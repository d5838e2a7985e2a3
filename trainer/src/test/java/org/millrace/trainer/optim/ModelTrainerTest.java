package org.millrace.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.millrace.trainer.model.Architecture;
import org.millrace.trainer.model.GptConfig;
import org.millrace.trainer.model.ModelConfig;

class ModelTrainerTest {

  static final OptimizerConfig OPTIMIZATION =
      new OptimizerConfig(AdamWConfig.gpt3(), new LearningRateSchedule(1e-3, 1e-4, 10, 200), 1.0f);

  /** The tiny preset of {@code architecture}; the encoder's mask token is the last id. */
  static ModelConfig tiny(Architecture architecture, int vocabSize) {
    return architecture.preset("tiny", vocabSize, vocabSize - 1);
  }

  /** {@code batch} rows of {@code t + 1} token ids drawn uniformly from the vocabulary. */
  static int[] randomWindows(int batch, int t, int vocab, long seed) {
    return new Random(seed).ints((long) batch * (t + 1), 0, vocab).toArray();
  }

  /** {@code batch} rows cut from the sequence 0, 1, ..., 15, 0, 1, ... at different offsets. */
  static int[] repetitiveWindows(int batch, int t) {
    int[] windows = new int[batch * (t + 1)];
    for (int row = 0; row < batch; row++) {
      for (int i = 0; i <= t; i++) {
        windows[row * (t + 1) + i] = (row * 5 + i) % 16;
      }
    }
    return windows;
  }

  @ParameterizedTest
  @EnumSource(Architecture.class)
  void theFirstLossIsAboutLnVocabulary(Architecture architecture) {
    try (ModelTrainer trainer = new ModelTrainer(tiny(architecture, 256), OPTIMIZATION, 1)) {
      TrainingStep first = trainer.step(randomWindows(8, 32, 256, 1), 8);

      // N(0, 0.02) weights give near-uniform predictions: loss ≈ ln 256 = 5.545
      assertThat((double) first.loss()).isCloseTo(Math.log(256), within(0.1));
      assertThat(first.step()).isEqualTo(1);
      assertThat(first.learningRate()).isCloseTo(1e-3 / 11, within(1e-12));
    }
  }

  @ParameterizedTest
  @EnumSource(Architecture.class)
  void learnsARepetitiveSequence(Architecture architecture) {
    try (ModelTrainer trainer = new ModelTrainer(tiny(architecture, 256), OPTIMIZATION, 1)) {
      int[] windows = repetitiveWindows(8, 32);
      float first = trainer.step(windows, 8).loss();
      float last = first;
      for (int i = 0; i < 99; i++) {
        last = trainer.step(windows, 8).loss();
      }

      assertThat(last).isLessThan(first / 2);
      assertThat(trainer.evaluate(windows, 8)).isLessThan(first / 2);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Architecture.class,
      names = {"GPT", "LLAMA", "HYBRID"})
  void overfitsATinyCorpusToALossBelowOneTenth(Architecture architecture) {
    // four fixed rows of random ids: every context is unique, so the model can learn them by heart
    OptimizerConfig optimization =
        new OptimizerConfig(AdamWConfig.gpt3(), LearningRateSchedule.constant(3e-3, 10), 1.0f);
    int[] corpus = randomWindows(4, 32, 64, 7);
    try (ModelTrainer trainer = new ModelTrainer(tiny(architecture, 64), optimization, 1)) {
      float loss = Float.NaN;
      for (int i = 0; i < 300 && !(loss < 0.1f); i++) {
        loss = trainer.step(corpus, 4).loss();
      }

      assertThat(loss)
          .as("training loss after %d steps", trainer.optimizer().stepCount())
          .isLessThan(0.1f);
      assertThat(trainer.evaluate(corpus, 4)).isLessThan(0.1f);
    }
  }

  @Test
  void trainsOnAThreadOfItsOwn() throws Exception {
    // PyTorch's grad mode is per thread and on in every new thread; the trainer runs on one.
    try (ModelTrainer trainer = new ModelTrainer(GptConfig.tiny(256), OPTIMIZATION, 1)) {
      AtomicReference<Object> outcome = new AtomicReference<>();
      Thread thread =
          new Thread(
              () -> {
                try {
                  trainer.step(repetitiveWindows(4, 16), 4);
                  outcome.set(trainer.step(repetitiveWindows(4, 16), 4));
                  trainer.evaluate(repetitiveWindows(4, 16), 4);
                } catch (RuntimeException e) {
                  outcome.set(e);
                }
              });
      thread.start();
      thread.join();

      assertThat(outcome.get())
          .isInstanceOfSatisfying(TrainingStep.class, step -> assertThat(step.step()).isEqualTo(2));
    }
  }

  @ParameterizedTest
  @EnumSource(Architecture.class)
  void gradientsStayFiniteWhileTheGarbageCollectorReclaimsJavaBuffers(Architecture architecture)
      throws Exception {
    // A tensor made from a Java number lives in a Java buffer; if autograd kept one for the
    // backward pass, the collector would free it under the graph and the gradients would turn to
    // garbage.
    Thread churn =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                for (int i = 0; i < 64; i++) {
                  java.nio.ByteBuffer.allocateDirect(1 << 16).put(0, (byte) 0x7F);
                }
                System.gc();
              }
            });
    churn.setDaemon(true);
    churn.start();
    try (ModelTrainer trainer = new ModelTrainer(tiny(architecture, 256), OPTIMIZATION, 1)) {
      for (int i = 0; i < 30; i++) {
        TrainingStep step = trainer.step(randomWindows(8, 64, 256, i), 8);
        assertThat(step.gradientNorm()).as("gradient norm of step %d", step.step()).isFinite();
        assertThat(step.loss()).isFinite();
      }
    } finally {
      churn.interrupt();
      churn.join();
    }
  }

  @ParameterizedTest
  @EnumSource(Architecture.class)
  void memoryBetweenStepsIsTheParametersAndTwoMomentsEach(Architecture architecture) {
    OptimizerConfig accumulating =
        new OptimizerConfig(
            OPTIMIZATION.adamW(), OPTIMIZATION.learningRate(), OPTIMIZATION.maxGradientNorm(), 2);
    try (ModelTrainer trainer = new ModelTrainer(tiny(architecture, 256), accumulating, 1)) {
      int parameters = trainer.model().namedParameters().size();
      for (int i = 0; i < 5; i++) {
        trainer.step(randomWindows(4, 32, 256, i), 4);
      }
      int afterWarmUp = trainer.manager().getManagedArrays().size();
      for (int i = 0; i < 40; i++) {
        trainer.step(randomWindows(4, 32, 256, 100 + i), 4);
        trainer.evaluate(randomWindows(4, 32, 256, 200 + i), 4);
      }

      assertThat(afterWarmUp).isEqualTo(3 * parameters);
      assertThat(trainer.manager().getManagedArrays()).hasSize(afterWarmUp);
    }
  }

  @ParameterizedTest
  @EnumSource(Architecture.class)
  void evaluatingDoesNotChangeTheModel(Architecture architecture) {
    try (ModelTrainer trainer = new ModelTrainer(tiny(architecture, 64), OPTIMIZATION, 1)) {
      int[] windows = randomWindows(2, 16, 64, 1);
      float before = trainer.evaluate(windows, 2);

      // the encoder's evaluation masks are the same at every call
      assertThat(trainer.evaluate(windows, 2)).isEqualTo(before);
      assertThat(trainer.optimizer().stepCount()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Architecture.class)
  void theSameSeedGivesTheSameRun(Architecture architecture) {
    try (ModelTrainer first = new ModelTrainer(tiny(architecture, 128), OPTIMIZATION, 3);
        ModelTrainer second = new ModelTrainer(tiny(architecture, 128), OPTIMIZATION, 3);
        ModelTrainer other = new ModelTrainer(tiny(architecture, 128), OPTIMIZATION, 4)) {
      for (int i = 0; i < 3; i++) {
        int[] windows = randomWindows(4, 16, 128, i);
        TrainingStep expected = first.step(windows, 4);
        // bit-exact: same initialisation and, for the encoder, the same masks
        assertThat(second.step(windows, 4)).isEqualTo(expected);
        assertThat(other.step(windows, 4).loss()).isNotEqualTo(expected.loss());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Architecture.class)
  void accumulatingMicroBatchesEqualsOneBigBatch(Architecture architecture) {
    OptimizerConfig fourMicroBatches =
        new OptimizerConfig(
            OPTIMIZATION.adamW(), OPTIMIZATION.learningRate(), OPTIMIZATION.maxGradientNorm(), 4);
    try (ModelTrainer whole = new ModelTrainer(tiny(architecture, 128), OPTIMIZATION, 1);
        ModelTrainer accumulated = new ModelTrainer(tiny(architecture, 128), fourMicroBatches, 1)) {
      for (int i = 0; i < 3; i++) {
        int[] windows = randomWindows(8, 32, 128, i);
        TrainingStep expected = whole.step(windows, 8);
        TrainingStep actual = accumulated.step(windows, 8);

        assertThat(actual.loss()).isCloseTo(expected.loss(), within(1e-5f));
        assertThat(actual.gradientNorm())
            .isCloseTo(expected.gradientNorm(), within(1e-5f * expected.gradientNorm()));
        // the gradients the update used, parameter by parameter (clipped alike: same norm)
        for (Map.Entry<String, Parameter> entry : whole.model().namedParameters().entrySet()) {
          float[] big = gradient(entry.getValue());
          float[] summed = gradient(accumulated.model().namedParameters().get(entry.getKey()));
          float scale = maxAbs(big);
          for (int j = 0; j < big.length; j++) {
            assertThat(summed[j])
                .as("%s[%d] at step %d", entry.getKey(), j, i + 1)
                .isCloseTo(big[j], within(1e-4f * scale + 1e-9f));
          }
        }
      }
    }
  }

  private static float[] gradient(Parameter parameter) {
    try (NDArray gradient = parameter.getArray().getGradient()) {
      return gradient.toFloatArray();
    }
  }

  private static float maxAbs(float[] values) {
    float max = 0;
    for (float value : values) {
      max = Math.max(max, Math.abs(value));
    }
    return max;
  }

  @Test
  void rejectsMalformedBatches() {
    try (ModelTrainer trainer = new ModelTrainer(GptConfig.tiny(64), OPTIMIZATION, 1)) {
      assertThatThrownBy(() -> trainer.step(new int[] {1, 2, 3}, 2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("3 token ids do not split into 2 equal rows");
      assertThatThrownBy(() -> trainer.step(new int[] {1, 64, 3, 4}, 2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Token id 64 is outside the vocabulary [0, 64)");
      assertThatThrownBy(() -> trainer.step(new int[66], 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1 <= T <= 64");
    }
    OptimizerConfig threeMicroBatches =
        new OptimizerConfig(
            OPTIMIZATION.adamW(), OPTIMIZATION.learningRate(), OPTIMIZATION.maxGradientNorm(), 3);
    try (ModelTrainer trainer = new ModelTrainer(GptConfig.tiny(64), threeMicroBatches, 1)) {
      assertThatThrownBy(() -> trainer.step(new int[8], 4))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("4 rows do not split into 3 equal micro-batches");
    }
  }
}
