package org.millrace.processors.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.millrace.schemas.Split;

class DocumentSplitTest {

  @Test
  void theSameIdAlwaysGetsTheSameSplit() {
    DocumentSplit split = new DocumentSplit(0.5);

    for (int i = 0; i < 100; i++) {
      assertThat(new DocumentSplit(0.5).of("doc-" + i)).isEqualTo(split.of("doc-" + i));
    }
  }

  @Test
  void theValidationShareMatchesTheFractionWithinItsStatisticalError() {
    int documents = 40_000;
    double fraction = 0.05;
    DocumentSplit split = new DocumentSplit(fraction);

    long validation =
        IntStream.range(0, documents).filter(i -> split.of("doc-" + i) == Split.VALIDATION).count();

    // binomial standard deviation sqrt(n p (1 - p)) ≈ 43.6; allow five of them
    assertThat((double) validation)
        .isCloseTo(documents * fraction, org.assertj.core.data.Offset.offset(5 * 43.6));
  }

  @Test
  void theEdgesAreAllTrainOrAllValidation() {
    assertThat(new DocumentSplit(0).of("x")).isEqualTo(Split.TRAIN);
    assertThat(new DocumentSplit(1).of("x")).isEqualTo(Split.VALIDATION);
    assertThatThrownBy(() -> new DocumentSplit(1.5)).hasMessageContaining("within [0, 1]");
  }
}
