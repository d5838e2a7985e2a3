package org.millrace.processors.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The measured candidate rate of MinHash LSH against the theoretical S-curve 1-(1-s^r)^b, on pairs
 * of shingle sets whose Jaccard similarity is set exactly: a pair shares k of its n elements each,
 * so that s = k / (2n - k). With FineWeb's 14 bands of 8 rows.
 */
class LshCurveTest {

  private static final LshBands LSH = new LshBands(14, 8);
  private static final MinHash MIN_HASH = new MinHash(LSH.signatureSize());
  private static final int SET_SIZE = 200;
  private static final int PAIRS = 400;

  private record Pair(int[] a, int[] b, double jaccard) {}

  /** A pair of sets of SET_SIZE distinct elements each, sharing as many as make {@code s}. */
  private static Pair pair(double s, Random random) {
    int shared = (int) Math.round(2.0 * SET_SIZE * s / (1 + s));
    int[] pool = random.ints().distinct().limit(2L * SET_SIZE - shared).toArray();
    int[] a = IntStream.range(0, SET_SIZE).map(i -> pool[i]).toArray();
    int[] b = IntStream.range(SET_SIZE - shared, 2 * SET_SIZE - shared).map(i -> pool[i]).toArray();
    return new Pair(a, b, (double) shared / (2 * SET_SIZE - shared));
  }

  private static boolean shareABucket(int[] x, int[] y) {
    for (int band = 0; band < LSH.bands(); band++) {
      if (LSH.bucket(x, band).equals(LSH.bucket(y, band))) {
        return true;
      }
    }
    return false;
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.3, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95})
  void candidateRateFollowsTheSCurveWithinItsStatisticalError(double s) {
    Random random = new Random(Double.hashCode(s));
    int candidates = 0;
    double expected = 0;
    for (int i = 0; i < PAIRS; i++) {
      Pair pair = pair(s, random);
      expected += LSH.candidateProbability(pair.jaccard()) / PAIRS;
      if (shareABucket(MIN_HASH.signature(pair.a()), MIN_HASH.signature(pair.b()))) {
        candidates++;
      }
    }
    double measured = (double) candidates / PAIRS;
    double standardError = Math.sqrt(expected * (1 - expected) / PAIRS);

    System.out.printf(
        "s=%.2f: candidates %.3f, theory %.3f ± %.3f%n", s, measured, expected, standardError);
    assertThat(measured)
        .isCloseTo(expected, org.assertj.core.api.Assertions.within(4 * standardError + 0.01));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.1, 0.5, 0.72, 0.9})
  void theSignaturesEstimateTheJaccardSimilarityWithoutBias(double s) {
    Random random = new Random(7 + Double.hashCode(s));
    double sumOfErrors = 0;
    double sumOfSquares = 0;
    for (int i = 0; i < PAIRS; i++) {
      Pair pair = pair(s, random);
      double error =
          MinHash.similarity(MIN_HASH.signature(pair.a()), MIN_HASH.signature(pair.b()))
              - pair.jaccard();
      sumOfErrors += error;
      sumOfSquares += error * error;
    }
    double bias = sumOfErrors / PAIRS;
    double spread = Math.sqrt(sumOfSquares / PAIRS);
    // one estimate is a binomial proportion over 112 hashes: standard deviation sqrt(s(1-s)/112)
    double theory = Math.sqrt(s * (1 - s) / LSH.signatureSize());

    assertThat(Math.abs(bias)).isLessThan(4 * theory / Math.sqrt(PAIRS) + 0.002);
    assertThat(spread).isBetween(0.8 * theory, 1.2 * theory);
  }
}
