package org.millrace.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ArchitectureTest extends LanguageModelTest {

  @ParameterizedTest
  @EnumSource(Architecture.class)
  void logitsHaveShapeBatchByTimeByVocabulary(Architecture architecture) {
    LanguageModel model = initialized(architecture.preset("tiny", 97, 0).newModel(), 1);

    assertThat(logits(model, randomIds(3 * 20, 97, 1), 3).getShape())
        .isEqualTo(new Shape(3, 20, 97));
  }

  @Test
  void everyPresetNameGivesAConfigurationOfItsArchitecture() {
    for (Architecture architecture : Architecture.values()) {
      assertThat(Architecture.of(architecture.id())).isEqualTo(architecture);
      for (String name : architecture.presets()) {
        ModelConfig preset = architecture.preset(name, 1000, 999);
        assertThat(preset.architecture()).isEqualTo(architecture);
        assertThat(preset).isInstanceOf(architecture.configType());
        assertThat(preset.vocabSize()).isEqualTo(1000);
      }
    }
    assertThat(Architecture.GPT.preset("small", 4096, 0)).isEqualTo(GptConfig.small(4096));
    assertThat(Architecture.LLAMA.preset("base", 4096, 0)).isEqualTo(LlamaConfig.base(4096));
    assertThat(Architecture.ENCODER.preset("medium", 4096, 7))
        .isEqualTo(EncoderConfig.medium(4096, 7));
    assertThat(Architecture.HYBRID.preset("small", 4096, 0)).isEqualTo(HybridConfig.small(4096));
  }

  @Test
  void namesTheChoicesWhenANameIsUnknown() {
    assertThatThrownBy(() -> Architecture.of("rnn"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown architecture 'rnn', expected one of [gpt, llama, encoder, hybrid]");
    assertThatThrownBy(() -> Architecture.LLAMA.preset("gpt2", 100, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown llama preset 'gpt2', expected one of [tiny, small, medium, base]");
  }
}
