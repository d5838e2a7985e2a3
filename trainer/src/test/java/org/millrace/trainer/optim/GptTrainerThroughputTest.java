package org.millrace.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.millrace.trainer.model.GptConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs tokens/s and achieved FLOP/s of the presets, with vocabulary 4096 and batch 12, the setting
 * of model A in shared/notes/djl.md. No timing is asserted: these VMs vary by 10-15% run to run.
 */
class GptTrainerThroughputTest {

  private static final Logger log = LoggerFactory.getLogger(GptTrainerThroughputTest.class);

  @ParameterizedTest
  @ValueSource(strings = {"tiny", "small"})
  void logsTokensPerSecond(String preset) {
    GptConfig config = preset.equals("tiny") ? GptConfig.tiny(4096) : GptConfig.small(4096);
    int batch = 12;
    int t = config.blockSize();
    try (GptTrainer trainer = new GptTrainer(config, GptTrainerTest.OPTIMIZATION, 1)) {
      int[] windows = GptTrainerTest.randomWindows(batch, t, config.vocabSize(), 1);
      for (int i = 0; i < 5; i++) {
        trainer.step(windows, batch);
      }
      int steps = 10;
      long start = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        trainer.step(windows, batch);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double tokensPerSecond = steps * batch * t / seconds;

      log.info(
          "{} ({} parameters, batch {} x {}): {} tokens/s, {} GFLOP/s",
          preset,
          config.parameterCount(),
          batch,
          t,
          Math.round(tokensPerSecond),
          String.format("%.1f", tokensPerSecond * config.flopsPerToken() / 1e9));
      assertThat(tokensPerSecond).isPositive();
    }
  }
}
