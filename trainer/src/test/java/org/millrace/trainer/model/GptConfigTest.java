package org.millrace.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GptConfigTest extends LanguageModelTest {

  @Test
  void rejectsAWidthThatHeadsDoNotDivide() {
    assertThatThrownBy(() -> new GptConfig(256, 64, 2, 3, 64, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("embeddingDim (64) must be divisible by heads (3)");
  }

  @Test
  void rejectsSizesThatAreNotPositive() {
    assertThatThrownBy(() -> new GptConfig(0, 64, 2, 2, 64, true))
        .hasMessage("vocabSize must be positive, was 0");
    assertThatThrownBy(() -> new GptConfig(256, -1, 2, 2, 64, true))
        .hasMessage("blockSize must be positive, was -1");
    assertThatThrownBy(() -> new GptConfig(256, 64, 0, 2, 64, true))
        .hasMessage("layers must be positive, was 0");
    assertThatThrownBy(() -> new GptConfig(256, 64, 2, 0, 64, true))
        .hasMessage("heads must be positive, was 0");
    assertThatThrownBy(() -> new GptConfig(256, 64, 2, 2, 0, true))
        .hasMessage("embeddingDim must be positive, was 0");
  }

  @Test
  void presetsAreTheDocumentedShapes() {
    assertThat(GptConfig.tiny(256)).isEqualTo(new GptConfig(256, 64, 2, 2, 64, true));
    assertThat(GptConfig.small(4096)).isEqualTo(new GptConfig(4096, 64, 4, 4, 128, true));
    assertThat(GptConfig.small(4096).headDim()).isEqualTo(32);
    assertThat(GptConfig.medium(8192)).isEqualTo(new GptConfig(8192, 256, 6, 6, 384, true));
    assertThat(GptConfig.gpt2(50_257)).isEqualTo(new GptConfig(50_257, 1024, 12, 12, 768, true));
    // nanoGPT reports 124M parameters for GPT-2 small, 85M without the embeddings
    assertThat(GptConfig.gpt2(50_257).parameterCount()).isEqualTo(124_439_808L);
    assertThat(GptConfig.tiny(256).withBlockSize(32))
        .isEqualTo(new GptConfig(256, 32, 2, 2, 64, true));
  }

  @Test
  void parameterCountIsTheNumberOfValuesTheModelHolds() {
    for (GptConfig config :
        new GptConfig[] {GptConfig.tiny(256), new GptConfig(100, 16, 3, 4, 32, false)}) {
      assertParameterCountIsTheValuesItsModelHolds(config);
    }
  }

  @Test
  void flopsPerTokenIsNanoGptsEstimate() {
    GptConfig config = GptConfig.tiny(256);
    // N = 120,576 parameters - 64·64 position embeddings = 116,480
    long sixN = 6 * 116_480L;
    long attention = 12L * 2 * 64 * 64; // 12 · layers · embeddingDim · blockSize
    assertThat(config.parameterCount()).isEqualTo(120_576L);
    assertThat(config.flopsPerToken()).isEqualTo(sixN + attention);
  }
}
