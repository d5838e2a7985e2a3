package org.millrace.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LlamaConfigTest extends LanguageModelTest {

  private static final double THETA = LlamaConfig.ROPE_THETA;

  @Test
  void rejectsHeadsThatDoNotShareKeysEvenly() {
    assertThatThrownBy(() -> new LlamaConfig(256, 64, 2, 4, 3, 64, 192, THETA, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("heads (4) must be divisible by kvHeads (3)");
    assertThatThrownBy(() -> new LlamaConfig(256, 64, 2, 3, 3, 64, 192, THETA, true))
        .hasMessage("embeddingDim (64) must be divisible by heads (3)");
    assertThatThrownBy(() -> new LlamaConfig(256, 64, 2, 4, 4, 36, 192, THETA, true))
        .hasMessage("rotary embeddings need an even head width, got 9");
    assertThatThrownBy(() -> new LlamaConfig(256, 64, 2, 4, 0, 64, 192, THETA, true))
        .hasMessage("kvHeads must be positive, was 0");
  }

  @Test
  void presetsAreTheDocumentedShapes() {
    assertThat(LlamaConfig.tiny(256))
        .isEqualTo(new LlamaConfig(256, 64, 2, 2, 2, 64, 192, THETA, true));
    assertThat(LlamaConfig.small(4096))
        .isEqualTo(new LlamaConfig(4096, 64, 4, 4, 2, 128, 352, THETA, true));
    assertThat(LlamaConfig.medium(8192))
        .isEqualTo(new LlamaConfig(8192, 256, 6, 6, 3, 384, 1024, THETA, true));
    // llama2.c's stories110M: dim 768, hidden 2048, 12 layers and heads, context 1024
    assertThat(LlamaConfig.base(32_000))
        .isEqualTo(new LlamaConfig(32_000, 1024, 12, 12, 12, 768, 2048, THETA, true));
    assertThat(LlamaConfig.small(4096).withBlockSize(128).blockSize()).isEqualTo(128);
  }

  @Test
  void parameterCountIsTheNumberOfValuesTheModelHolds() {
    for (LlamaConfig config :
        new LlamaConfig[] {
          LlamaConfig.tiny(256),
          LlamaConfig.small(300),
          new LlamaConfig(100, 16, 3, 4, 1, 32, 80, THETA, false)
        }) {
      assertParameterCountIsTheValuesItsModelHolds(config);
    }
  }

  @Test
  void flopsPerTokenIsSixNPlusAttention() {
    LlamaConfig config = LlamaConfig.tiny(256);
    assertThat(config.flopsPerToken()).isEqualTo(6 * config.parameterCount() + 12L * 2 * 64 * 64);
  }
}
