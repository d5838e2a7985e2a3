package org.millrace.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class LlamaTest extends LanguageModelTest {

  private Llama model(LlamaConfig config, int seed) {
    return initialized(new Llama(config), seed);
  }

  /** One layer, 4 query heads of 8 channels sharing {@code kvHeads} key and value heads. */
  private static LlamaConfig oneLayer(int kvHeads) {
    return new LlamaConfig(50, 16, 1, 4, kvHeads, 32, 64, LlamaConfig.ROPE_THETA, false);
  }

  @Test
  void changingATokenLeavesTheLogitsOfEarlierPositionsUnchanged() {
    Llama model = model(LlamaConfig.small(50), 1);

    assertCausal(model, 50);
  }

  @Test
  void groupedQueryAttentionIsMultiHeadAttentionWithSharedKeysAndValues() {
    // a model with 2 kv heads, and one with 4 whose key and value heads 2g and 2g+1 are copies of
    // the first model's head g: they must compute the same function
    Llama grouped = model(oneLayer(2), 1);
    Llama multiHead = model(oneLayer(4), 2);
    NDList weights = new NDList();
    for (NDArray weight : grouped.weights()) {
      NDArray copy = weight;
      if (weight.getName().endsWith(".key.weight") || weight.getName().endsWith(".value.weight")) {
        // (2 heads · 8, 32) -> each head's 8 rows twice, in order: (4 · 8, 32)
        copy = weight.reshape(2, 8, 32).repeat(0, 2).reshape(32, 32);
      }
      copy.setName(weight.getName());
      weights.add(copy);
    }
    multiHead.loadWeights(weights);
    long[] ids = randomIds(2 * 16, 50, 3);

    float[] expected = logits(multiHead, ids, 2).toFloatArray();
    float[] actual = logits(grouped, ids, 2).toFloatArray();
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as("logit %d", i).isCloseTo(expected[i], within(1e-5f));
    }
    assertThat(grouped.namedParameters().get("blocks.0.attention.key.weight").getArray().getShape())
        .isEqualTo(new Shape(16, 32));
  }

  @Test
  void parametersAreNamedAfterTheBlockTree() {
    Llama tied = model(LlamaConfig.tiny(50), 1);
    Llama untied = model(oneLayer(2), 1);

    assertThat(tied.namedParameters().keySet())
        .containsExactly(
            "tokenEmbedding",
            "blocks.0.attentionNorm.weight",
            "blocks.0.attention.query.weight",
            "blocks.0.attention.key.weight",
            "blocks.0.attention.value.weight",
            "blocks.0.attention.proj.weight",
            "blocks.0.mlpNorm.weight",
            "blocks.0.mlp.gate.weight",
            "blocks.0.mlp.up.weight",
            "blocks.0.mlp.down.weight",
            "blocks.1.attentionNorm.weight",
            "blocks.1.attention.query.weight",
            "blocks.1.attention.key.weight",
            "blocks.1.attention.value.weight",
            "blocks.1.attention.proj.weight",
            "blocks.1.mlpNorm.weight",
            "blocks.1.mlp.gate.weight",
            "blocks.1.mlp.up.weight",
            "blocks.1.mlp.down.weight",
            "finalNorm.weight");
    assertThat(untied.namedParameters()).containsKey("lmHead.weight");
  }

  @Test
  void initialisationIsGpt2s() {
    LlamaConfig config = LlamaConfig.small(512);
    Llama model = model(config, 1);
    float residualStd = (float) (0.02 / Math.sqrt(2 * config.layers()));

    assertThat(std(model, "tokenEmbedding")).isCloseTo(0.02f, within(0.001f));
    assertThat(std(model, "blocks.0.attention.query.weight")).isCloseTo(0.02f, within(0.001f));
    assertThat(std(model, "blocks.3.mlp.gate.weight")).isCloseTo(0.02f, within(0.001f));
    assertThat(std(model, "blocks.3.mlp.up.weight")).isCloseTo(0.02f, within(0.001f));
    assertThat(std(model, "blocks.0.attention.proj.weight"))
        .isCloseTo(residualStd, within(0.0005f));
    assertThat(std(model, "blocks.3.mlp.down.weight")).isCloseTo(residualStd, within(0.0005f));
    assertThat(model.namedParameters().get("blocks.2.mlpNorm.weight").getArray().toFloatArray())
        .containsOnly(1f);
  }

  @Test
  void rejectsASequenceLongerThanTheBlockSize() {
    Llama model = model(oneLayer(2), 1);

    assertThatThrownBy(() -> logits(model, randomIds(17, 50, 1), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("T <= 16");
  }
}
