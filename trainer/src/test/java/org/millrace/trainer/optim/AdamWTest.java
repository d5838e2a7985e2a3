package org.millrace.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.millrace.trainer.NdManagerTest;

class AdamWTest extends NdManagerTest {

  private static final AdamWConfig CONFIG = new AdamWConfig(0.9, 0.95, 1e-8, 0.1);

  @Test
  void firstTwoUpdatesMatchTheFormulaWorkedByHand() {
    NDArray weight = manager.create(new float[][] {{1.0f, -2.0f}});
    try (AdamW adamW = new AdamW(Map.of("w", weight), CONFIG, manager)) {
      // step 1 with lr 0.1: m = 0.1·g, v = 0.05·g², and after bias correction m̂ = g, v̂ = g²,
      // so the Adam step is lr·g/|g| = ±0.1; decay first multiplies w by 1 - 0.1·0.1 = 0.99
      adamW.update(Map.of("w", manager.create(new float[][] {{0.5f, -0.1f}})), 0.1);
      assertThat(weight.toFloatArray()[0]).isCloseTo(0.99f - 0.1f, within(1e-6f));
      assertThat(weight.toFloatArray()[1]).isCloseTo(-1.98f + 0.1f, within(1e-6f));

      // step 2 with g = (0.5, 0.3) for the first weight and lr 0.05:
      // m = 0.9·0.05 + 0.1·0.5 = 0.095, v = 0.95·0.0125 + 0.05·0.25 = 0.024375
      // m̂ = 0.095 / (1 - 0.81) = 0.5, v̂ = 0.024375 / (1 - 0.9025) = 0.25, step = 0.05·0.5/0.5
      // w = 0.89·(1 - 0.05·0.1) - 0.05 = 0.83555
      adamW.update(Map.of("w", manager.create(new float[][] {{0.5f, 0.3f}})), 0.05);
      assertThat(weight.toFloatArray()[0]).isCloseTo(0.83555f, within(1e-6f));
      assertThat(adamW.stepCount()).isEqualTo(2);
    }
  }

  @Test
  void decaysMatricesButNotVectors() {
    NDArray matrix = manager.create(new float[][] {{1, 2}, {3, 4}});
    NDArray bias = manager.create(new float[] {1, 2});
    try (AdamW adamW = new AdamW(Map.of("matrix", matrix, "bias", bias), CONFIG, manager)) {
      // zero gradients: the Adam step is 0, so only weight decay can move a value
      adamW.update(
          Map.of(
              "matrix", manager.zeros(matrix.getShape()), "bias", manager.zeros(bias.getShape())),
          0.5);

      float kept = 1 - 0.5f * 0.1f;
      assertThat(matrix.toFloatArray()).containsExactly(kept, 2 * kept, 3 * kept, 4 * kept);
      assertThat(bias.toFloatArray()).containsExactly(1, 2);
    }
  }

  @Test
  void aRestoredStateMakesTheSameNextUpdate() {
    NDArray original = manager.create(new float[][] {{1, -1}, {0.5f, 2}});
    NDArray copy = original.duplicate();
    NDArray[] gradients = {
      manager.create(new float[][] {{0.2f, -0.4f}, {0.1f, 0.3f}}),
      manager.create(new float[][] {{-0.3f, 0.1f}, {0.2f, 0.2f}}),
      manager.create(new float[][] {{0.05f, 0.5f}, {-0.1f, 0.0f}})
    };
    try (AdamW trained = new AdamW(Map.of("w", original), CONFIG, manager);
        AdamW restored = new AdamW(Map.of("w", copy), CONFIG, manager)) {
      trained.update(Map.of("w", gradients[0]), 0.01);
      trained.update(Map.of("w", gradients[1]), 0.01);
      copy.set(new NDIndex(":"), original);

      restored.loadState(trained.state(manager));
      trained.update(Map.of("w", gradients[2]), 0.01);
      restored.update(Map.of("w", gradients[2]), 0.01);

      assertThat(restored.stepCount()).isEqualTo(3);
      assertThat(copy.toFloatArray()).containsExactly(original.toFloatArray());
    }
  }

  @Test
  void stateNamesTheStepAndEachMoment() {
    NDArray weight = manager.create(new float[] {1, 2});
    try (AdamW adamW = new AdamW(Map.of("blocks.0.mlp.fc.bias", weight), CONFIG, manager)) {
      NDList state = adamW.state(manager);

      assertThat(state.stream().map(NDArray::getName))
          .containsExactly("step", "m.blocks.0.mlp.fc.bias", "v.blocks.0.mlp.fc.bias");
      assertThatThrownBy(() -> adamW.loadState(new NDList(state.get(0))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("does not match");
    }
  }
}
