package org.millrace.processors.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.millrace.runtime.testing.PseudoText;

class MinHashTest {

  private final MinHash minHash = new MinHash(112);

  @Test
  void equalSetsHaveEqualSignaturesWhateverTheOrderAndRepeats() {
    int[] a = minHash.signature(new int[] {1, 2, 3, 4});
    int[] b = minHash.signature(new int[] {4, 3, 3, 2, 1, 1});

    assertThat(a).hasSize(112).containsExactly(b);
    assertThat(MinHash.similarity(a, b)).isEqualTo(1.0);
  }

  @Test
  void instancesAgreeSoThatSignaturesFromDifferentProcessesCompare() {
    int[] shingles = WordShingles.of("the same text in two processes, hashed the same way", 5);

    assertThat(new MinHash(112).signature(shingles)).containsExactly(minHash.signature(shingles));
  }

  @Test
  void disjointSetsAgreeAlmostNowhere() {
    int[] a = minHash.signature(new java.util.Random(1).ints(300).toArray());
    int[] b = minHash.signature(new java.util.Random(2).ints(300).toArray());

    assertThat(MinHash.similarity(a, b)).isLessThan(0.05);
  }

  @Test
  void aNearCopyOfATextIsEstimatedCloseToItsTrueSimilarity() {
    String original = PseudoText.words(300, 1);
    String copy =
        PseudoText.replaceWords(original, 4, 2); // 4 words: about 20 of 296 shingles change
    int[] a = WordShingles.of(original, 5);
    int[] b = WordShingles.of(copy, 5);

    double truth = jaccard(a, b);
    assertThat(truth).isBetween(0.8, 0.95);
    assertThat(MinHash.similarity(minHash.signature(a), minHash.signature(b)))
        .isCloseTo(truth, within(0.15));
  }

  @Test
  void signaturesTravelAsFourBytesPerValue() {
    int[] signature = minHash.signature(new int[] {10, 20, 30});
    byte[] bytes = MinHash.toBytes(signature);

    assertThat(bytes).hasSize(4 * 112);
    assertThat(MinHash.fromBytes(ByteBuffer.wrap(bytes))).containsExactly(signature);
  }

  @Test
  void refusesSignaturesOfDifferentLengthsAndEmptyFamilies() {
    assertThatThrownBy(() -> MinHash.similarity(new int[3], new int[4]))
        .hasMessageContaining("3 and 4 hashes");
    assertThatThrownBy(() -> new MinHash(0)).hasMessageContaining("at least one hash");
  }

  /** The exact Jaccard similarity of two shingle-hash sets. */
  private static double jaccard(int[] a, int[] b) {
    Set<Integer> x = Arrays.stream(a).boxed().collect(Collectors.toSet());
    Set<Integer> y = Arrays.stream(b).boxed().collect(Collectors.toSet());
    Set<Integer> union = new HashSet<>(x);
    union.addAll(y);
    x.retainAll(y);
    return (double) x.size() / union.size();
  }
}
