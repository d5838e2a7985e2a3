package org.millrace.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class CrossEntropyTest {

  @Test
  void isTheSumOfTheNegativeLogProbabilitiesOfTheTargets() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // one sequence of two positions over a vocabulary of 2: softmax(0, ln 3) = (1/4, 3/4)
      float ln3 = (float) Math.log(3);
      var logits = manager.create(new float[] {0, ln3, 0, ln3}, new Shape(1, 2, 2));
      var targets = manager.create(new long[] {1, 0}, new Shape(1, 2));
      var both = manager.ones(new Shape(1, 2));

      float loss = CrossEntropy.weightedSum(logits, targets, both).getFloat();

      assertThat((double) loss).isCloseTo(-Math.log(0.75) - Math.log(0.25), within(1e-6));
    }
  }

  @Test
  void leavesOutThePositionsOfWeightZero() {
    try (NDManager manager = NDManager.newBaseManager()) {
      float ln3 = (float) Math.log(3);
      var logits = manager.create(new float[] {0, ln3, 0, ln3}, new Shape(1, 2, 2));
      var targets = manager.create(new long[] {1, 0}, new Shape(1, 2));
      var firstOnly = manager.create(new float[] {1, 0}, new Shape(1, 2));

      float loss = CrossEntropy.weightedSum(logits, targets, firstOnly).getFloat();

      assertThat((double) loss).isCloseTo(-Math.log(0.75), within(1e-6));
    }
  }

  @Test
  void isLnVocabularyPerPositionForUniformLogits() {
    try (NDManager manager = NDManager.newBaseManager()) {
      var logits = manager.zeros(new Shape(2, 3, 10));
      var targets = manager.create(new long[] {0, 1, 2, 3, 4, 9}, new Shape(2, 3));

      float loss =
          CrossEntropy.weightedSum(logits, targets, manager.ones(new Shape(2, 3))).getFloat();

      assertThat((double) loss).isCloseTo(6 * Math.log(10), within(1e-5));
    }
  }
}
