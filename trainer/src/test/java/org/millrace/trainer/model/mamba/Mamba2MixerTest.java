package org.millrace.trainer.model.mamba;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.millrace.trainer.NdManagerTest;

class Mamba2MixerTest extends NdManagerTest {

  /** 2 groups of 2 heads of 3 channels, state 4, chunks of 3 over 7 positions (not a multiple). */
  private static final Mamba2Settings TINY = new Mamba2Settings(6, 4, 3, 2, 4, 4, 3, 0.02f);

  private static final int T = 7;

  private Mamba2Mixer mixer(Mamba2Settings settings, DataType type, int seed) {
    manager.getEngine().setRandomSeed(seed);
    Mamba2Mixer mixer = new Mamba2Mixer(settings);
    mixer.initialize(manager, type, new Shape(1, T, settings.width()));
    return mixer;
  }

  private NDArray input(Mamba2Settings settings, int batch, DataType type, long seed) {
    Random random = new Random(seed);
    double[] values = new double[batch * T * settings.width()];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextGaussian();
    }
    return manager.create(values, new Shape(batch, T, settings.width())).toType(type, false);
  }

  private static Map<String, NDArray> parameters(Mamba2Mixer mixer) {
    Map<String, NDArray> named = new LinkedHashMap<>();
    for (Pair<String, Parameter> parameter : mixer.getParameters()) {
      // DJL names a child's parameter <position><child>_<name>: keep <child>.<name>
      named.put(
          parameter.getKey().replaceFirst("^\\d+", "").replace('_', '.'),
          parameter.getValue().getArray());
    }
    return named;
  }

  @Test
  void parametersAreTheReferencesWithItsShapes() {
    Mamba2Mixer mixer = mixer(TINY, DataType.FLOAT32, 1);

    Map<String, NDArray> named = parameters(mixer);
    assertThat(named.keySet())
        .containsExactly(
            "dtBias",
            "aLog",
            "d",
            "inProj.weight",
            "conv.weight",
            "conv.bias",
            "norm.weight",
            "outProj.weight");
    // z, x (12 each), B, C (2 groups of 4 each), dt (4 heads)
    assertThat(named.get("inProj.weight").getShape()).isEqualTo(new Shape(12 + 12 + 8 + 8 + 4, 6));
    assertThat(named.get("conv.weight").getShape()).isEqualTo(new Shape(12 + 16, 4));
    assertThat(named.values().stream().mapToLong(NDArray::size).sum())
        .isEqualTo(TINY.parameterCount());
  }

  @Test
  void initialisationIsAsPublished() {
    Mamba2Settings settings = new Mamba2Settings(16, 4000, 1, 1, 1, 4, 8, 0.02f);
    Mamba2Mixer mixer = mixer(settings, DataType.FLOAT32, 3);
    Map<String, NDArray> named = parameters(mixer);

    NDArray dt = ai.djl.nn.Activation.softPlus(named.get("dtBias"));
    assertThat(dt.min().getFloat()).isGreaterThanOrEqualTo(1e-3f * 0.999f);
    assertThat(dt.max().getFloat()).isLessThanOrEqualTo(0.1f * 1.001f);
    // log-uniform: log dt is uniform, its mean midway between log 1e-3 and log 0.1
    assertThat(dt.log().mean().getFloat())
        .isCloseTo((float) ((Math.log(1e-3) + Math.log(0.1)) / 2), within(0.1f));
    NDArray minusA = named.get("aLog").exp();
    assertThat(minusA.min().getFloat()).isGreaterThanOrEqualTo(1f);
    assertThat(minusA.max().getFloat()).isLessThanOrEqualTo(16f);
    assertThat(minusA.mean().getFloat()).isCloseTo(8.5f, within(0.3f));
    assertThat(named.get("d").toFloatArray()).containsOnly(1f);
    assertThat(named.get("norm.weight").toFloatArray()).containsOnly(1f);
    for (String perHead : new String[] {"dtBias", "aLog", "d"}) {
      assertThat(named.get(perHead).getDataType()).as(perHead).isEqualTo(DataType.FLOAT32);
      // a vector: our AdamW decays matrices only, so these stay out of weight decay
      assertThat(named.get(perHead).getShape().dimension()).as(perHead).isEqualTo(1);
    }
  }

  @Test
  void theStepFunctionGivesTheFullForwardPassPositionByPosition() {
    Mamba2Mixer mixer = mixer(TINY, DataType.FLOAT64, 5);
    NDArray u = input(TINY, 2, DataType.FLOAT64, 6);
    ParameterStore store = new ParameterStore(manager, false);
    NDArray full = mixer.forward(store, new NDList(u), false).head();

    Mamba2State state = mixer.newState(manager, 2, DataType.FLOAT64);
    NDList steps = new NDList();
    for (int t = 0; t < T; t++) {
      steps.add(mixer.step(store, u.get(new NDIndex(":, {}:{}", t, t + 1)), state));
    }
    NDArray stepped = NDArrays.concat(steps, 1);

    assertThat(stepped.sub(full).abs().max().getDouble()).isLessThan(1e-12);
  }

  @Test
  void gradientsMatchFiniteDifferencesInFloat64() {
    Mamba2Mixer mixer = mixer(TINY, DataType.FLOAT64, 9);
    NDArray u = input(TINY, 1, DataType.FLOAT64, 10);
    NDArray weights =
        input(TINY, 1, DataType.FLOAT64, 11); // a random linear read-out of the output
    ParameterStore store = new ParameterStore(manager, false);
    Map<String, NDArray> arrays = new LinkedHashMap<>(parameters(mixer));
    arrays.put("input", u);
    u.setRequiresGradient(true);

    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.backward(loss(mixer, store, u, weights));
    }
    Map<String, double[]> analytic = new LinkedHashMap<>();
    arrays.forEach((name, array) -> analytic.put(name, array.getGradient().toDoubleArray()));

    double epsilon = 1e-6;
    for (Map.Entry<String, NDArray> entry : arrays.entrySet()) {
      NDArray array = entry.getValue();
      double[] values = array.toDoubleArray();
      double[] expected = analytic.get(entry.getKey());
      // every element of small arrays, a spread of elements of large ones
      int stride = Math.max(1, values.length / 12);
      for (int i = 0; i < values.length; i += stride) {
        double numeric =
            (lossAt(mixer, store, u, weights, array, values, i, epsilon)
                    - lossAt(mixer, store, u, weights, array, values, i, -epsilon))
                / (2 * epsilon);
        assertThat(expected[i])
            .as("d loss / d %s[%d]", entry.getKey(), i)
            .isCloseTo(numeric, within(1e-7 + 1e-6 * Math.abs(numeric)));
      }
    }
  }

  private static NDArray loss(Mamba2Mixer mixer, ParameterStore store, NDArray u, NDArray weights) {
    return mixer.forward(store, new NDList(u), true).head().mul(weights).sum();
  }

  /** The loss with element {@code i} of {@code array} moved by {@code delta}, then restored. */
  private double lossAt(
      Mamba2Mixer mixer,
      ParameterStore store,
      NDArray u,
      NDArray weights,
      NDArray array,
      double[] values,
      int i,
      double delta) {
    double[] moved = values.clone();
    moved[i] += delta;
    array.set(moved);
    try {
      return loss(mixer, store, u, weights).getDouble();
    } finally {
      array.set(values);
    }
  }
}
