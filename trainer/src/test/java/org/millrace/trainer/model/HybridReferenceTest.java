package org.millrace.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.trainer.NdManagerTest;
import org.millrace.trainer.testing.PyTorchProgram;

/**
 * The hybrid's Mamba-2 mixer, one hybrid block and the whole model against {@code
 * src/test/python/hybrid_reference.py}, an independent PyTorch program written from the papers (the
 * SSM as its recurrence, in float64), on the same weights read from our safetensors file. Skips,
 * and says so on stderr, without PyTorch ({@link PyTorchProgram}).
 */
class HybridReferenceTest extends NdManagerTest {

  private static final Path REFERENCE = Path.of("src/test/python/hybrid_reference.py");

  /**
   * Our float32 against the reference's float64, as the largest difference over the largest
   * magnitude: float32 keeps about 7 digits, and each output sums a few hundred products.
   */
  private static final double RELATIVE_TOLERANCE = 1e-5;

  private static final int BATCH = 2;
  private static final int T = 13;

  @TempDir Path dir;

  @BeforeAll
  static void requirePyTorch() throws Exception {
    PyTorchProgram.assumeTorch(HybridReferenceTest.class);
  }

  /** Two groups of SSM heads, attention narrower than the stream, chunks not dividing T, untied. */
  private static HybridConfig config() {
    return new HybridConfig(40, 16, 2, 24, 2, 1, 8, 4, 6, 2, 5, 4, 4, 48, 10_000, false);
  }

  @Test
  void mixerBlockAndModelEqualTheReference() throws Exception {
    HybridConfig config = config();
    Hybrid model = config.newModel();
    model.initializeParameters(manager, 7);
    // the initialisation's small weights leave the mixer near zero: spread them, so that every
    // path weighs in the comparison
    for (NDArray weight : model.weights()) {
      if (weight.getName().endsWith("outProj.weight") || weight.getName().endsWith("proj.weight")) {
        weight.muli(20);
      }
    }
    NDArray u = gaussian(1, BATCH, T, config.embeddingDim());
    NDArray x = gaussian(2, BATCH, T, config.embeddingDim());
    NDArray ids =
        manager.create(
            new Random(3).longs(BATCH * T, 0, config.vocabSize()).toArray(), new Shape(BATCH, T));
    u.setName("u");
    x.setName("x");
    ids.setName("ids");

    ParameterStore store = new ParameterStore(manager, false);
    NDArray mixer = model.block(0).mixer().forward(store, new NDList(u), false).head();
    NDList angles =
        new RotaryEmbedding(config.attentionHeadDim(), config.ropeTheta()).angles(manager, 0, T);
    NDArray block =
        model.block(0).forward(store, new NDList(x, angles.get(0), angles.get(1)), false).head();
    NDArray logits = model.forward(store, new NDList(ids), false).head();

    JsonNode reference = runReference(model, new NDList(u, x, ids), config);

    assertClose("mixer", mixer, reference.get("mixer"));
    assertClose("block", block, reference.get("block"));
    assertClose("logits", logits, reference.get("logits"));
  }

  private NDArray gaussian(long seed, long... shape) {
    Random random = new Random(seed);
    float[] values = new float[(int) new Shape(shape).size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return manager.create(values, new Shape(shape));
  }

  private JsonNode runReference(Hybrid model, NDList inputs, HybridConfig config) throws Exception {
    Path weights = dir.resolve("model.safetensors");
    Path inputFile = dir.resolve("inputs.safetensors");
    Path configFile = dir.resolve("config.json");
    try (OutputStream out = Files.newOutputStream(weights)) {
      model.weights().encode(out, NDList.Encoding.SAFETENSORS);
    }
    try (OutputStream out = Files.newOutputStream(inputFile)) {
      inputs.encode(out, NDList.Encoding.SAFETENSORS);
    }
    new ObjectMapper().writeValue(configFile.toFile(), config);
    return PyTorchProgram.run(
        REFERENCE, 300, weights.toString(), inputFile.toString(), configFile.toString());
  }

  private static void assertClose(String what, NDArray actual, JsonNode expected) {
    float[] ours = actual.toFloatArray();
    assertThat(expected.size()).as(what + " size").isEqualTo(ours.length);
    double worst = 0;
    double largest = 0;
    for (int i = 0; i < ours.length; i++) {
      double reference = expected.get(i).doubleValue();
      worst = Math.max(worst, Math.abs(ours[i] - reference));
      largest = Math.max(largest, Math.abs(reference));
    }
    System.out.printf(
        "%s: largest |reference| %.3g, largest difference %.3g%n", what, largest, worst);
    assertThat(largest).as(what + " is not trivially zero").isGreaterThan(0.1);
    assertThat(worst / largest).as(what + " relative difference").isLessThan(RELATIVE_TOLERANCE);
  }
}
