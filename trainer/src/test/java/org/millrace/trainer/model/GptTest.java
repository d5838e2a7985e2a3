package org.millrace.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.junit.jupiter.api.Test;

class GptTest extends LanguageModelTest {

  private Gpt model(GptConfig config, int seed) {
    return initialized(new Gpt(config), seed);
  }

  @Test
  void changingATokenLeavesTheLogitsOfEarlierPositionsUnchanged() {
    Gpt model = model(GptConfig.tiny(50), 1);

    assertCausal(model, 50);
  }

  @Test
  void parametersAreNamedAfterTheBlockTree() {
    Gpt tied = model(GptConfig.tiny(50), 1);
    Gpt untied = model(new GptConfig(50, 16, 1, 2, 32, false), 1);

    assertThat(tied.namedParameters())
        .containsKeys(
            "tokenEmbedding",
            "positionEmbedding",
            "blocks.0.attentionNorm.gamma",
            "blocks.0.attention.qkv.weight",
            "blocks.1.attention.proj.bias",
            "blocks.1.mlp.fc.weight",
            "finalNorm.beta")
        .doesNotContainKey("lmHead.weight");
    assertThat(untied.namedParameters()).containsKey("lmHead.weight");
    assertThat(tied.weights().stream().map(NDArray::getName))
        .containsExactlyElementsOf(tied.namedParameters().keySet());
  }

  @Test
  void initialisationIsGpt2s() {
    GptConfig config = GptConfig.small(512);
    Gpt model = model(config, 1);
    float residualStd = (float) (0.02 / Math.sqrt(2 * config.layers()));

    assertThat(std(model, "tokenEmbedding")).isCloseTo(0.02f, within(0.001f));
    assertThat(std(model, "blocks.0.attention.qkv.weight")).isCloseTo(0.02f, within(0.001f));
    assertThat(std(model, "blocks.3.mlp.fc.weight")).isCloseTo(0.02f, within(0.001f));
    assertThat(std(model, "blocks.0.attention.proj.weight"))
        .isCloseTo(residualStd, within(0.0005f));
    assertThat(std(model, "blocks.3.mlp.proj.weight")).isCloseTo(residualStd, within(0.0005f));
    assertThat(values(model, "blocks.2.attention.qkv.bias")).containsOnly(0f);
    assertThat(values(model, "blocks.2.mlpNorm.gamma")).containsOnly(1f);
    assertThat(values(model, "finalNorm.beta")).containsOnly(0f);
  }

  private static float[] values(Gpt model, String name) {
    return model.namedParameters().get(name).getArray().toFloatArray();
  }

  @Test
  void theSameSeedGivesTheSameModel() {
    NDList first = model(GptConfig.tiny(50), 7).weights();
    NDList second = model(GptConfig.tiny(50), 7).weights();
    NDList other = model(GptConfig.tiny(50), 8).weights();

    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i).toFloatArray()).containsExactly(first.get(i).toFloatArray());
    }
    assertThat(other.get(0).toFloatArray()).isNotEqualTo(first.get(0).toFloatArray());
  }

  @Test
  void loadWeightsCopiesByNameAndRejectsAnotherModel() {
    Gpt source = model(GptConfig.tiny(50), 1);
    Gpt target = model(GptConfig.tiny(50), 2);
    Gpt wider = model(new GptConfig(50, 64, 2, 2, 32, true), 3);

    target.loadWeights(source.weights());

    assertThat(target.weights().get("blocks.1.mlp.fc.weight").toFloatArray())
        .containsExactly(source.weights().get("blocks.1.mlp.fc.weight").toFloatArray());
    assertThatThrownBy(() -> wider.loadWeights(source.weights()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tokenEmbedding has shape (50, 64), the model expects (50, 32)");
  }

  @Test
  void rejectsASequenceLongerThanTheBlockSize() {
    Gpt model = model(new GptConfig(50, 8, 1, 2, 32, true), 1);

    assertThatThrownBy(() -> logits(model, randomIds(9, 50, 1), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("T <= 8");
  }
}
