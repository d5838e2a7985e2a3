package org.millrace.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.millrace.trainer.model.GptConfig;

class GptTrainerTest {

  static final OptimizerConfig OPTIMIZATION =
      new OptimizerConfig(AdamWConfig.gpt3(), new LearningRateSchedule(1e-3, 1e-4, 10, 200), 1.0f);

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

  @Test
  void theFirstLossIsAboutLnVocabulary() {
    try (GptTrainer trainer = new GptTrainer(GptConfig.tiny(256), OPTIMIZATION, 1)) {
      TrainingStep first = trainer.step(randomWindows(8, 32, 256, 1), 8);

      // N(0, 0.02) weights give near-uniform predictions: loss ≈ ln 256 = 5.545
      assertThat((double) first.loss()).isCloseTo(Math.log(256), within(0.1));
      assertThat(first.step()).isEqualTo(1);
      assertThat(first.learningRate()).isCloseTo(1e-3 / 11, within(1e-12));
    }
  }

  @Test
  void learnsARepetitiveSequence() {
    try (GptTrainer trainer = new GptTrainer(GptConfig.tiny(256), OPTIMIZATION, 1)) {
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

  @Test
  void trainsOnAThreadOfItsOwn() throws Exception {
    // PyTorch's grad mode is per thread and on in every new thread; the trainer runs on one.
    try (GptTrainer trainer = new GptTrainer(GptConfig.tiny(256), OPTIMIZATION, 1)) {
      java.util.concurrent.atomic.AtomicReference<Object> outcome =
          new java.util.concurrent.atomic.AtomicReference<>();
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

  @Test
  void gradientsStayFiniteWhileTheGarbageCollectorReclaimsJavaBuffers() throws Exception {
    // A tensor made from a Java number lives in a Java buffer; if autograd kept one for the
    // backward
    // pass, the collector would free it under the graph and the gradients would turn to garbage.
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
    try (GptTrainer trainer = new GptTrainer(GptConfig.tiny(256), OPTIMIZATION, 1)) {
      for (int i = 0; i < 40; i++) {
        TrainingStep step = trainer.step(randomWindows(8, 64, 256, i), 8);
        assertThat(step.gradientNorm()).as("gradient norm of step %d", step.step()).isFinite();
        assertThat(step.loss()).isFinite();
      }
    } finally {
      churn.interrupt();
      churn.join();
    }
  }

  @Test
  void memoryBetweenStepsIsTheParametersAndTwoMomentsEach() {
    try (GptTrainer trainer = new GptTrainer(GptConfig.tiny(256), OPTIMIZATION, 1)) {
      int parameters = trainer.model().namedParameters().size();
      for (int i = 0; i < 5; i++) {
        trainer.step(randomWindows(4, 32, 256, i), 4);
      }
      int afterWarmUp = trainer.manager().getManagedArrays().size();
      for (int i = 0; i < 50; i++) {
        trainer.step(randomWindows(4, 32, 256, 100 + i), 4);
        trainer.evaluate(randomWindows(4, 32, 256, 200 + i), 4);
      }

      assertThat(afterWarmUp).isEqualTo(3 * parameters);
      assertThat(trainer.manager().getManagedArrays()).hasSize(afterWarmUp);
    }
  }

  @Test
  void evaluatingDoesNotChangeTheModel() {
    try (GptTrainer trainer = new GptTrainer(GptConfig.tiny(64), OPTIMIZATION, 1)) {
      int[] windows = randomWindows(2, 16, 64, 1);
      float before = trainer.evaluate(windows, 2);

      assertThat(trainer.evaluate(windows, 2)).isEqualTo(before);
      assertThat(trainer.optimizer().stepCount()).isZero();
    }
  }

  @Test
  void rejectsMalformedBatches() {
    try (GptTrainer trainer = new GptTrainer(GptConfig.tiny(64), OPTIMIZATION, 1)) {
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
  }
}
