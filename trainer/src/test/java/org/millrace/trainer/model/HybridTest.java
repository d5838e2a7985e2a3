package org.millrace.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class HybridTest extends LanguageModelTest {

  private Hybrid model(HybridConfig config, int seed) {
    return initialized(new Hybrid(config), seed);
  }

  /** Two layers, 2 groups of SSM heads, chunks of 5 that do not divide 16 positions, untied. */
  private static HybridConfig twoGroups() {
    return new HybridConfig(50, 16, 2, 32, 4, 2, 8, 4, 8, 2, 6, 4, 5, 64, 10_000, false);
  }

  @Test
  void changingATokenLeavesTheLogitsOfEarlierPositionsUnchanged() {
    assertCausal(model(twoGroups(), 1), 50, 1e-6f);
  }

  @Test
  void generatingStepByStepGivesTheLogitsOfTheFullForwardPassTokenByToken() {
    Hybrid model = model(twoGroups(), 3);
    long[] ids = randomIds(2 * 16, 50, 4);
    NDArray full = logits(model, ids, 2);
    NDArray input = manager.create(ids, new Shape(2, 16));
    ParameterStore store = new ParameterStore(manager, false);

    JniUtils.setGradMode(false);
    try (IncrementalDecoder.State state = model.newState(manager, 2)) {
      for (int t = 0; t < 16; t++) {
        NDArray next = model.nextLogits(store, input.get(new NDIndex(":, {}:{}", t, t + 1)), state);
        NDArray expected = full.get(new NDIndex(":, {}, :", t));
        assertThat(next.sub(expected).abs().max().getFloat())
            .as("position %d", t)
            .isLessThan(1e-5f);
      }
      assertThat(state.length()).isEqualTo(16);
    }
  }

  @Test
  void theSsmStateDoesNotGrowWithTheContextTheKvCacheDoes() {
    Hybrid model = model(twoGroups(), 3);
    ParameterStore store = new ParameterStore(manager, false);
    JniUtils.setGradMode(false);
    try (IncrementalDecoder.State state = model.newState(manager, 1)) {
      model.nextLogits(store, manager.create(new long[] {1}, new Shape(1, 1)), state);
      long afterOne = state.bytes();
      for (int t = 1; t < 9; t++) {
        model.nextLogits(store, manager.create(new long[] {t}, new Shape(1, 1)), state);
      }
      // per layer and position: a key and a value of 2 kv heads of 8 float32 channels
      long kvPerPosition = 2L * 2 * (2 * 8) * 4;
      assertThat(state.bytes() - afterOne).isEqualTo(8 * kvPerPosition);
    }
  }

  @Test
  void parametersAreNamedAfterTheBlockTreeAndCountedByTheConfig() {
    HybridConfig config = twoGroups();
    Hybrid model = model(config, 1);

    assertThat(model.namedParameters().keySet())
        .startsWith(
            "tokenEmbedding",
            "blocks.0.inputNorm.weight",
            "blocks.0.attention.query.weight",
            "blocks.0.attention.key.weight",
            "blocks.0.attention.value.weight",
            "blocks.0.attention.proj.weight",
            "blocks.0.mixer.dtBias",
            "blocks.0.mixer.aLog",
            "blocks.0.mixer.d",
            "blocks.0.mixer.inProj.weight",
            "blocks.0.mixer.conv.weight",
            "blocks.0.mixer.conv.bias",
            "blocks.0.mixer.norm.weight",
            "blocks.0.mixer.outProj.weight",
            "blocks.0.mlpNorm.weight",
            "blocks.0.mlp.gate.weight",
            "blocks.0.mlp.up.weight",
            "blocks.0.mlp.down.weight")
        .endsWith("finalNorm.weight", "lmHead.weight");
    long counted =
        model.namedParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    assertThat(counted).isEqualTo(config.parameterCount());
  }

  @Test
  void eachPresetHasTheParametersOfTheLlamaPresetOfItsName() {
    for (String preset : Architecture.HYBRID.presets()) {
      long hybrid = Architecture.HYBRID.preset(preset, 32_000, 0).parameterCount();
      long llama = Architecture.LLAMA.preset(preset, 32_000, 0).parameterCount();
      assertThat((double) hybrid / llama).as(preset).isCloseTo(1.0, within(0.003));
    }
    assertThat(HybridConfig.base(32_000).parameterCount()).isBetween(100_000_000L, 120_000_000L);
  }

  @Test
  void residualProjectionsGetTheScaledInitialisation() {
    HybridConfig config = HybridConfig.small(512);
    Hybrid model = model(config, 1);
    float residualStd = (float) (0.02 / Math.sqrt(2 * config.layers()));

    assertThat(std(model, "blocks.0.mixer.inProj.weight")).isCloseTo(0.02f, within(0.001f));
    assertThat(std(model, "blocks.0.mixer.outProj.weight")).isCloseTo(residualStd, within(0.0005f));
    assertThat(std(model, "blocks.0.attention.proj.weight"))
        .isCloseTo(residualStd, within(0.0005f));
  }
}
