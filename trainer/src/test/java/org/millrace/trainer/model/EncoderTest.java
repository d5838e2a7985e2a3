package org.millrace.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EncoderTest extends LanguageModelTest {

  private Encoder model(EncoderConfig config) {
    return initialized(new Encoder(config), 1);
  }

  private NDArray logits(Encoder model, long[] ids) {
    return logits(model, ids, 1);
  }

  @Test
  void everyPositionSeesTheWholeSequence() {
    Encoder model = model(EncoderConfig.tiny(50, 49));
    long[] ids = new Random(2).longs(16, 0, 49).toArray();
    long[] changed = ids.clone();
    changed[15] = (ids[15] + 1) % 49;

    NDArray before = logits(model, ids);
    NDArray after = logits(model, changed);

    assertThat(before.getShape()).isEqualTo(new Shape(1, 16, 50));
    // unlike a decoder, the first position's logits change with the last token
    NDIndex first = new NDIndex(":, 0, :");
    assertThat(after.get(first).toFloatArray()).isNotEqualTo(before.get(first).toFloatArray());
  }

  @Test
  void hasGptsParametersAndCount() {
    EncoderConfig config = new EncoderConfig(50, 16, 2, 2, 32, false, 0);
    Encoder encoder = model(config);
    Gpt gpt = new Gpt(new GptConfig(50, 16, 2, 2, 32, false));
    gpt.initializeParameters(manager, 1);

    assertThat(encoder.namedParameters().keySet())
        .containsExactlyElementsOf(gpt.namedParameters().keySet());
    long values =
        encoder.namedParameters().values().stream()
            .mapToLong(parameter -> parameter.getArray().size())
            .sum();
    assertThat(config.parameterCount()).isEqualTo(values);
  }

  @Test
  void theMaskTokenMustBeInTheVocabulary() {
    assertThatThrownBy(() -> EncoderConfig.tiny(50, 50))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maskTokenId 50 is outside the vocabulary [0, 50)");
    assertThat(EncoderConfig.base(30_522, 103))
        .isEqualTo(new EncoderConfig(30_522, 512, 12, 12, 768, true, 103));
    assertThat(EncoderConfig.tiny(50, 3).objective()).isEqualTo(new MaskedLanguageModelling(50, 3));
  }

  @Test
  void cannotGenerateOnePositionAtATime() {
    Encoder model = model(EncoderConfig.tiny(50, 49));

    assertThat(IncrementalGeneration.supports(model)).isFalse();
    assertThatThrownBy(() -> model.newState(manager, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bidirectional attention");
  }
}
