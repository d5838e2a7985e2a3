package org.millrace.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.millrace.trainer.NdManagerTest;

class RotaryEmbeddingTest extends NdManagerTest {

  private static final int HEAD_DIM = 16;
  private static final int T = 12;

  private final RotaryEmbedding rotary = new RotaryEmbedding(HEAD_DIM, LlamaConfig.ROPE_THETA);

  /** (1, 2 heads, T, HEAD_DIM) of uniform random values. */
  private NDArray randomHeads(long seed) {
    Random random = new Random(seed);
    float[] values = new float[2 * T * HEAD_DIM];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextFloat() * 2 - 1;
    }
    return manager.create(values, new Shape(1, 2, T, HEAD_DIM));
  }

  /** Every query-key dot product, (1, 2, T, T), after rotating both to positions from start. */
  private float[] scores(NDArray q, NDArray k, long start) {
    NDList angles = rotary.angles(manager, start, T);
    return rotary
        .rotate(q, angles)
        .matMul(rotary.rotate(k, angles).transpose(0, 1, 3, 2))
        .toFloatArray();
  }

  @Test
  void dotProductsDependOnlyOnTheDistanceBetweenPositions() {
    NDArray q = randomHeads(1);
    NDArray k = randomHeads(2);

    float[] fromZero = scores(q, k, 0);
    for (long shift : new long[] {1, 7, 1000}) {
      float[] shifted = scores(q, k, shift);
      for (int i = 0; i < fromZero.length; i++) {
        assertThat(shifted[i])
            .as("shift %d, score %d", shift, i)
            .isCloseTo(fromZero[i], within(2e-4f));
      }
    }
    // and they do depend on the distance: without rotation the scores differ
    float[] unrotated = q.matMul(k.transpose(0, 1, 3, 2)).toFloatArray();
    assertThat(fromZero).isNotEqualTo(unrotated);
  }

  @Test
  void rotatesAdjacentPairsByPositionTimesFrequency() {
    NDArray x = randomHeads(3);
    float[] before = x.toFloatArray();
    float[] after = rotary.rotate(x, rotary.angles(manager, 0, T)).toFloatArray();

    // head 1, position 5, pair i = 3: angle 5 · 10000^(-6/16)
    int base = (1 * T + 5) * HEAD_DIM + 2 * 3;
    double angle = 5 * Math.pow(10_000, -6.0 / HEAD_DIM);
    double a = before[base];
    double b = before[base + 1];
    assertThat((double) after[base])
        .isCloseTo(a * Math.cos(angle) - b * Math.sin(angle), within(1e-6));
    assertThat((double) after[base + 1])
        .isCloseTo(a * Math.sin(angle) + b * Math.cos(angle), within(1e-6));
    // position 0 is not rotated
    for (int i = 0; i < HEAD_DIM; i++) {
      assertThat(after[i]).isEqualTo(before[i]);
    }
  }
}
