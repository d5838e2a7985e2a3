package org.millrace.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class RmsNormTest {

  @Test
  void dividesByTheRootMeanSquareAndMultipliesByTheGain() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RmsNorm norm = new RmsNorm(4);
      norm.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 4));
      NDArray gain = norm.getParameters().valueAt(0).getArray();
      assertThat(gain.toFloatArray()).as("starts at 1").containsOnly(1f);
      gain.set(new NDIndex(":"), manager.create(new float[] {0.5f, 1f, 2f, -1f}));
      float[][] rows = {{1, 2, 3, 4}, {-3, 0, 0, 4}};
      NDArray x = manager.create(rows);

      float[] y =
          norm.forward(new ParameterStore(manager, false), new NDList(x.reshape(1, 2, 4)), false)
              .singletonOrThrow()
              .toFloatArray();

      float[] gains = {0.5f, 1f, 2f, -1f};
      for (int row = 0; row < 2; row++) {
        double meanSquare = 0;
        for (float value : rows[row]) {
          meanSquare += value * value / 4.0;
        }
        double rms = Math.sqrt(meanSquare + 1e-5);
        for (int i = 0; i < 4; i++) {
          assertThat((double) y[row * 4 + i])
              .as("row %d, channel %d", row, i)
              .isCloseTo(rows[row][i] / rms * gains[i], within(1e-6));
        }
      }
    }
  }
}
