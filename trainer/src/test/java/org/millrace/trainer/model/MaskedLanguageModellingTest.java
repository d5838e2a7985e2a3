package org.millrace.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskedLanguageModellingTest {

  private static final int VOCAB = 1000;
  private static final int MASK = 999;
  private final MaskedLanguageModelling objective = new MaskedLanguageModelling(VOCAB, MASK);

  /** {@code rows} windows of {@code t + 1} ids, none of them the mask token. */
  private static int[] windows(int rows, int t, long seed) {
    return new Random(seed).ints((long) rows * (t + 1), 0, MASK).toArray();
  }

  @Test
  void selectsFifteenPercentAndMasksEightyReplacesTenKeepsTen() {
    int selected = 0;
    int masked = 0;
    int replaced = 0;
    int kept = 0;
    int tokens = 0;
    for (int draw = 0; draw < 10; draw++) {
      TokenBatch batch = objective.batch(windows(16, 256, draw), 16, 42, draw);
      for (int i = 0; i < batch.inputs().length; i++) {
        tokens++;
        if (batch.lossWeights()[i] == 0) {
          assertThat(batch.inputs()[i])
              .as("an unselected token is left")
              .isEqualTo(batch.targets()[i]);
          continue;
        }
        selected++;
        if (batch.inputs()[i] == MASK) {
          masked++;
        } else if (batch.inputs()[i] != batch.targets()[i]) {
          replaced++;
        } else {
          kept++; // includes the 1 in 1,000 random replacements that drew the same token
        }
      }
    }

    // 40,960 tokens, about 6,144 selected: four standard deviations are about 0.007 of the
    // tokens, and 0.021 (mask) and 0.015 (random, kept) of the selected
    assertThat(tokens).isEqualTo(10 * 16 * 256);
    assertThat((double) selected / tokens).isCloseTo(0.15, within(0.007));
    assertThat((double) masked / selected).isCloseTo(0.8, within(0.021));
    assertThat((double) replaced / selected).isCloseTo(0.1, within(0.015));
    assertThat((double) kept / selected).isCloseTo(0.1, within(0.015));
  }

  @Test
  void theTargetsAreTheFirstTIdsOfEachWindow() {
    int[] windows = {1, 2, 3, 4, 5, 6, 7, 8};

    TokenBatch batch = objective.batch(windows, 2, 1, 0);

    assertThat(batch.shape().getShape()).containsExactly(2, 3);
    assertThat(batch.targets()).containsExactly(1, 2, 3, 5, 6, 7);
  }

  @Test
  void theSameSeedAndDrawGiveTheSameMasks() {
    int[] windows = windows(8, 64, 1);

    TokenBatch batch = objective.batch(windows, 8, 7, 100);
    TokenBatch again = objective.batch(windows, 8, 7, 100);
    TokenBatch nextDraw = objective.batch(windows, 8, 7, 101);
    TokenBatch otherSeed = objective.batch(windows, 8, 8, 100);

    assertThat(again.inputs()).containsExactly(batch.inputs());
    assertThat(again.lossWeights()).containsExactly(batch.lossWeights());
    assertThat(nextDraw.lossWeights()).isNotEqualTo(batch.lossWeights());
    assertThat(otherSeed.lossWeights()).isNotEqualTo(batch.lossWeights());
  }

  @Test
  void everyBatchHasAPositionToPredict() {
    // one row of one position: 85% of draws would select nothing
    for (int draw = 0; draw < 100; draw++) {
      TokenBatch batch = objective.batch(new int[] {5, 6}, 1, 3, draw);
      assertThat(batch.predictedPositions()).as("draw %d", draw).isEqualTo(1);
    }
  }

  @Test
  void theLossCountsTheSelectedPositionsOnly() {
    TokenBatch batch = objective.batch(windows(2, 32, 3), 2, 5, 0);
    long[] otherUnselected = batch.targets().clone();
    long[] otherSelected = batch.targets().clone();
    int firstSelected = -1;
    for (int i = 0; i < otherUnselected.length; i++) {
      if (batch.lossWeights()[i] == 0) {
        otherUnselected[i] = (otherUnselected[i] + 1) % VOCAB;
      } else if (firstSelected < 0) {
        firstSelected = i;
      }
    }
    otherSelected[firstSelected] = (otherSelected[firstSelected] + 1) % VOCAB;

    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray logits = manager.randomNormal(new ai.djl.ndarray.types.Shape(2, 32, VOCAB));
      NDArray weights = manager.create(batch.lossWeights(), batch.shape());
      float loss = loss(manager, logits, batch.targets(), weights, batch);

      assertThat(loss(manager, logits, otherUnselected, weights, batch)).isEqualTo(loss);
      assertThat(loss(manager, logits, otherSelected, weights, batch)).isNotEqualTo(loss);
    }
  }

  private static float loss(
      NDManager manager, NDArray logits, long[] targets, NDArray weights, TokenBatch batch) {
    NDArray targetArray = manager.create(targets, batch.shape());
    return CrossEntropy.weightedSum(logits, targetArray, weights).getFloat();
  }
}
