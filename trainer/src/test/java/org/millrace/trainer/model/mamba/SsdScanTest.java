package org.millrace.trainer.model.mamba;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.millrace.trainer.NdManagerTest;

/**
 * The chunked SSD scan against the recurrence it computes, {@code h_t = exp(dt_t·A)·h_{t-1} +
 * dt_t·x_t⊗B_t} and {@code y_t = C_t·h_t}, written here as plain Java loops in double precision,
 * and one test per numerical trap that {@link SsdScan} names.
 */
class SsdScanTest extends NdManagerTest {

  private static final int BATCH = 2;
  private static final int T = 16;
  private static final int HEADS = 3;
  private static final int P = 4;
  private static final int N = 5;

  /**
   * float32 against the float64 recurrence: the largest error relative to the largest output. The
   * scan sums at most T products of values of order 1; measured 1.2e-7 to 1.4e-7 on these inputs.
   */
  private static final double FLOAT32_RELATIVE_TOLERANCE = 2e-6;

  /** Random inputs of the scan, in double precision; {@code dtScale} sets how large |A·dt| gets. */
  private record Inputs(double[] x, double[] dt, double[] a, double[] b, double[] c) {

    static Inputs random(long seed, double dtScale) {
      Random random = new Random(seed);
      double[] x = gaussian(random, BATCH * T * HEADS * P);
      double[] dt = new double[BATCH * T * HEADS];
      for (int i = 0; i < dt.length; i++) {
        // softplus of a Gaussian: positive, as the mixer makes it
        dt[i] = dtScale * Math.log1p(Math.exp(random.nextGaussian()));
      }
      double[] a = new double[HEADS];
      for (int h = 0; h < HEADS; h++) {
        a[h] = -(1 + 15 * random.nextDouble());
      }
      return new Inputs(
          x,
          dt,
          a,
          gaussian(random, BATCH * T * HEADS * N),
          gaussian(random, BATCH * T * HEADS * N));
    }

    private static double[] gaussian(Random random, int count) {
      double[] values = new double[count];
      for (int i = 0; i < count; i++) {
        values[i] = random.nextGaussian();
      }
      return values;
    }

    /** The recurrence, position by position: y (B, T, H, P) and the final state (B, H, P, N). */
    double[][] recurrence() {
      double[] y = new double[BATCH * T * HEADS * P];
      double[] h = new double[BATCH * HEADS * P * N];
      for (int b0 = 0; b0 < BATCH; b0++) {
        for (int t = 0; t < T; t++) {
          for (int head = 0; head < HEADS; head++) {
            double step = dt[(b0 * T + t) * HEADS + head];
            double decay = Math.exp(step * a[head]);
            for (int p = 0; p < P; p++) {
              double xv = x[((b0 * T + t) * HEADS + head) * P + p];
              double out = 0;
              for (int n = 0; n < N; n++) {
                int s = ((b0 * HEADS + head) * P + p) * N + n;
                int bc = ((b0 * T + t) * HEADS + head) * N + n;
                h[s] = decay * h[s] + step * xv * b[bc];
                out += c[bc] * h[s];
              }
              y[((b0 * T + t) * HEADS + head) * P + p] = out;
            }
          }
        }
      }
      return new double[][] {y, h};
    }
  }

  private SsdScan.Output scan(Inputs in, int chunk, DataType type) {
    return SsdScan.chunked(
        array(in.x(), type, BATCH, T, HEADS, P),
        array(in.dt(), type, BATCH, T, HEADS),
        array(in.a(), type, HEADS),
        array(in.b(), type, BATCH, T, HEADS, N),
        array(in.c(), type, BATCH, T, HEADS, N),
        chunk);
  }

  private NDArray array(double[] values, DataType type, long... shape) {
    return manager.create(values, new Shape(shape)).toType(type, false);
  }

  private static double maxAbsoluteError(double[] expected, double[] actual) {
    assertThat(actual).hasSameSizeAs(expected);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    return worst;
  }

  private static double maxAbsolute(double[] values) {
    double max = 0;
    for (double value : values) {
      max = Math.max(max, Math.abs(value));
    }
    return max;
  }

  @ParameterizedTest(name = "chunk {0}")
  @ValueSource(ints = {1, 4, 5, 7, 16, 20})
  void inFloat64TheChunkedScanIsTheRecurrenceTo1e10(int chunk) {
    Inputs in = Inputs.random(chunk, 1);
    double[][] expected = in.recurrence();

    SsdScan.Output output = scan(in, chunk, DataType.FLOAT64);

    assertThat(output.y().getShape()).isEqualTo(new Shape(BATCH, T, HEADS, P));
    assertThat(maxAbsoluteError(expected[0], output.y().toDoubleArray())).isLessThan(1e-10);
    assertThat(maxAbsoluteError(expected[1], output.finalState().toDoubleArray()))
        .isLessThan(1e-10);
  }

  @ParameterizedTest(name = "chunk {0}")
  @ValueSource(ints = {1, 5, 16})
  void inFloat32TheChunkedScanIsTheRecurrenceWithinTheStatedTolerance(int chunk) {
    Inputs in = Inputs.random(100 + chunk, 1);
    double[][] expected = in.recurrence();

    double[] y =
        scan(in, chunk, DataType.FLOAT32).y().toType(DataType.FLOAT64, false).toDoubleArray();

    double relative = maxAbsoluteError(expected[0], y) / maxAbsolute(expected[0]);
    System.out.printf("float32 scan, chunk %d: relative error %.2g%n", chunk, relative);
    assertThat(relative).isLessThan(FLOAT32_RELATIVE_TOLERANCE);
  }

  @ParameterizedTest(name = "chunk {0}")
  @ValueSource(ints = {3, 8, 16})
  void withLargeDecaysTheScanIsStillTheRecurrenceAndItsGradientIsFinite(int chunk) {
    // |A·dt| up to about 16·30 per position: exp of an unmasked segment sum above the diagonal
    // would overflow to infinity
    Inputs in = Inputs.random(7 + chunk, 30);
    double[][] expected = in.recurrence();

    NDArray x = array(in.x(), DataType.FLOAT32, BATCH, T, HEADS, P);
    NDArray dt = array(in.dt(), DataType.FLOAT32, BATCH, T, HEADS);
    x.setRequiresGradient(true);
    dt.setRequiresGradient(true);
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      SsdScan.Output output =
          SsdScan.chunked(
              x,
              dt,
              array(in.a(), DataType.FLOAT32, HEADS),
              array(in.b(), DataType.FLOAT32, BATCH, T, HEADS, N),
              array(in.c(), DataType.FLOAT32, BATCH, T, HEADS, N),
              chunk);
      double[] y = output.y().toType(DataType.FLOAT64, false).toDoubleArray();
      assertThat(maxAbsoluteError(expected[0], y) / maxAbsolute(expected[0]))
          .isLessThan(FLOAT32_RELATIVE_TOLERANCE);
      collector.backward(output.y().square().sum());
    }
    assertThat(x.getGradient().isInfinite().any().getBoolean()).isFalse();
    assertThat(x.getGradient().isNaN().any().getBoolean()).isFalse();
    assertThat(dt.getGradient().isNaN().any().getBoolean()).isFalse();
    assertThat(dt.getGradient().isInfinite().any().getBoolean()).isFalse();
  }

  @Test
  void segmentSumsAreMaskedCumulativeSumsNotDifferencesOfCumulativeSums() {
    // one large decay first, then small ones: float32 cumulative sums near -1e4 keep about three
    // decimals, so cumsum[i] - cumsum[j] loses the small segment sums
    float[] values = new float[16];
    values[0] = -10_000f;
    for (int i = 1; i < values.length; i++) {
      values[i] = -0.0123f * i;
    }
    NDArray sums = SsdScan.segmentSums(manager.create(values));
    float[] cumulative = manager.create(values).cumSum(0).toFloatArray();

    double worstMasked = 0;
    double worstDifference = 0;
    for (int i = 1; i < values.length; i++) {
      for (int j = 1; j < i; j++) {
        double exact = 0;
        for (int k = j + 1; k <= i; k++) {
          exact += values[k];
        }
        worstMasked = Math.max(worstMasked, Math.abs(sums.getFloat(i, j) - exact));
        worstDifference =
            Math.max(worstDifference, Math.abs((cumulative[i] - cumulative[j]) - exact));
      }
    }
    assertThat(worstMasked).isLessThan(1e-6);
    assertThat(worstDifference).as("the trap is real").isGreaterThan(1e-4);
    assertThat(sums.getFloat(3, 3)).isZero();
    assertThat(sums.getFloat(2, 3)).isEqualTo(Float.NEGATIVE_INFINITY);
  }

  @Test
  void theMaskIsAddedBeforeExpSoTheFutureGetsZeroNotNaN() {
    float[] values = new float[8];
    java.util.Arrays.fill(values, -200f);
    NDArray a = manager.create(values);
    a.setRequiresGradient(true);
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray decay = SsdScan.decay(SsdScan.segmentSums(a));
      assertThat(decay.isNaN().any().getBoolean()).isFalse();
      assertThat(decay.getFloat(2, 5)).isZero();
      assertThat(decay.getFloat(5, 5)).isEqualTo(1f);
      collector.backward(decay.sum());
    }
    assertThat(a.getGradient().isNaN().any().getBoolean()).isFalse();

    // the trap: the same segment sums unmasked are +1200 above the diagonal, exp overflows, and
    // multiplying by a 0/1 mask afterwards gives inf·0 = NaN
    NDArray cumulative = manager.create(values).cumSum(0);
    NDArray unmasked = cumulative.reshape(8, 1).sub(cumulative.reshape(1, 8));
    NDArray positions = manager.arange(8f);
    NDArray lower =
        positions.reshape(8, 1).gte(positions.reshape(1, 8)).toType(DataType.FLOAT32, false);
    assertThat(unmasked.exp().mul(lower).isNaN().any().getBoolean()).isTrue();
  }

  @Test
  void theDecayExponentIsClampedAtZero() {
    // a rounding error can make a segment sum slightly positive; a decay above 1 would amplify
    NDArray exponents = manager.create(new float[] {-1f, 0f, 1e-3f, 5f, Float.NEGATIVE_INFINITY});

    assertThat(SsdScan.decay(exponents).toFloatArray())
        .containsExactly((float) Math.exp(-1), 1f, 1f, 1f, 0f);
  }

  @Test
  void paddingToAWholeChunkLeavesTheFinalStateAndCutsTheOutputBack() {
    Inputs in = Inputs.random(3, 1);
    double[][] expected = in.recurrence();

    // 16 positions in chunks of 6: two whole chunks and 4 positions padded with zeros
    SsdScan.Output output = scan(in, 6, DataType.FLOAT64);

    assertThat(output.y().getShape().get(1)).isEqualTo(T);
    assertThat(maxAbsoluteError(expected[1], output.finalState().toDoubleArray()))
        .isLessThan(1e-10);
  }

  @Test
  void theStepIsOnePositionOfTheRecurrence() {
    Inputs in = Inputs.random(11, 1);
    double[][] expected = in.recurrence();
    NDArray x = array(in.x(), DataType.FLOAT64, BATCH, T, HEADS, P);
    NDArray dt = array(in.dt(), DataType.FLOAT64, BATCH, T, HEADS);
    NDArray a = array(in.a(), DataType.FLOAT64, HEADS);
    NDArray b = array(in.b(), DataType.FLOAT64, BATCH, T, HEADS, N);
    NDArray c = array(in.c(), DataType.FLOAT64, BATCH, T, HEADS, N);

    NDArray state = manager.zeros(new Shape(BATCH, HEADS, P, N), DataType.FLOAT64);
    NDArray[] ys = new NDArray[T];
    for (int t = 0; t < T; t++) {
      SsdScan.Output output =
          SsdScan.step(
              state,
              x.get(":, {}", t),
              dt.get(":, {}", t),
              a,
              b.get(":, {}", t),
              c.get(":, {}", t));
      ys[t] = output.y();
      state = output.finalState();
    }

    double[] y = NDArrayStack.stack(ys, 1).toDoubleArray();
    assertThat(maxAbsoluteError(expected[0], y)).isLessThan(1e-12);
    assertThat(maxAbsoluteError(expected[1], state.toDoubleArray())).isLessThan(1e-12);
  }

  /** Stacks arrays along a new axis. */
  private static final class NDArrayStack {
    static NDArray stack(NDArray[] arrays, int axis) {
      return ai.djl.ndarray.NDArrays.stack(new ai.djl.ndarray.NDList(arrays), axis);
    }
  }
}
