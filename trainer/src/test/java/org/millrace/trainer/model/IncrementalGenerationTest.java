package org.millrace.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.millrace.trainer.NdManagerTest;

/**
 * Generation one position at a time against the full forward pass, for every decoder that has it.
 */
class IncrementalGenerationTest extends NdManagerTest {

  private static final int VOCAB = 50;

  @BeforeEach
  void recordNoGradients() {
    JniUtils.setGradMode(false);
  }

  @ParameterizedTest
  @EnumSource(
      value = Architecture.class,
      names = {"GPT", "LLAMA", "HYBRID"})
  void eachFedTokenGivesTheFullForwardPassLogitsOfItsPosition(Architecture architecture) {
    ModelConfig config = architecture.preset("small", VOCAB, 0).withBlockSize(24);
    LanguageModel model = config.newModel();
    model.initializeParameters(manager, 5);
    int[] tokens = new Random(6).ints(24, 0, VOCAB).toArray();
    long[] ids = java.util.Arrays.stream(tokens).asLongStream().toArray();
    NDArray full =
        model
            .forward(
                new ParameterStore(manager, false),
                new NDList(manager.create(ids, new Shape(1, ids.length))),
                false)
            .head();

    float[][] expectedLogits = new float[tokens.length][];
    for (int t = 0; t < tokens.length; t++) {
      expectedLogits[t] = full.get(0, t).toFloatArray();
    }
    int arraysBefore = manager.getManagedArrays().size();
    try (IncrementalGeneration generation = new IncrementalGeneration(model, manager)) {
      float[] first = null;
      for (int t = 0; t < tokens.length; t++) {
        float[] next = generation.feed(tokens[t]);
        first = t == 0 ? next : first;
        float[] expected = expectedLogits[t];
        float worst = 0;
        for (int i = 0; i < next.length; i++) {
          worst = Math.max(worst, Math.abs(next[i] - expected[i]));
        }
        assertThat(worst).as("position %d", t).isLessThan(1e-5f);
      }
      assertThatThrownBy(() -> generation.feed(1)).isInstanceOf(IllegalStateException.class);
      generation.restart();
      assertThat(generation.length()).isZero();
      assertThat(generation.feed(tokens[0])).containsExactly(first);
    }
    // the per-token arrays and the state are freed with the generation
    assertThat(manager.getManagedArrays()).hasSize(arraysBefore);
  }
}
