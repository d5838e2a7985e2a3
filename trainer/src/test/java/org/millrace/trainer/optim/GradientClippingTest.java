package org.millrace.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

  private NDManager manager;
  private NDArray matrix;
  private NDArray vector;

  // global norm sqrt(3² + 4² + 12²) = 13
  @BeforeEach
  void gradients() {
    manager = NDManager.newBaseManager();
    matrix = manager.create(new float[][] {{3, 0}, {0, 4}});
    vector = manager.create(new float[] {12});
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  @Test
  void scalesEveryGradientByTheSameFactorWhenTheNormExceedsTheMaximum() {
    float norm = GradientClipping.clipGlobalNorm(List.of(matrix, vector), 6.5f);

    assertThat(norm).isEqualTo(13f);
    float scale = 6.5f / (13f + 1e-6f);
    assertThat(matrix.toFloatArray()).containsExactly(3 * scale, 0, 0, 4 * scale);
    assertThat(vector.toFloatArray()).containsExactly(12 * scale);
    assertThat(GradientClipping.clipGlobalNorm(List.of(matrix, vector), 100f))
        .isCloseTo(6.5f, within(1e-5f));
  }

  @Test
  void leavesGradientsAloneWhenTheNormIsWithinTheMaximum() {
    float norm = GradientClipping.clipGlobalNorm(List.of(matrix, vector), 13.5f);

    assertThat(norm).isEqualTo(13f);
    assertThat(matrix.toFloatArray()).containsExactly(3, 0, 0, 4);
    assertThat(vector.toFloatArray()).containsExactly(12);
  }
}
