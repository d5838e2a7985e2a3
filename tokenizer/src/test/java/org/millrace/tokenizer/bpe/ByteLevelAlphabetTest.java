package org.millrace.tokenizer.bpe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ByteLevelAlphabetTest {

  @Test
  void mapsBytesToGpt2sCharacters() {
    // Values from GPT-2's vocabulary (encoder.json): "Ġthe", "Ċ", and the printable bytes as is.
    assertThat(ByteLevelAlphabet.charOf(' ')).isEqualTo('Ġ');
    assertThat(ByteLevelAlphabet.charOf('\n')).isEqualTo('Ċ');
    assertThat(ByteLevelAlphabet.charOf('\t')).isEqualTo('ĉ');
    assertThat(ByteLevelAlphabet.charOf(0)).isEqualTo('\u0100');
    assertThat(ByteLevelAlphabet.charOf(0x7F)).isEqualTo('\u0121');
    assertThat(ByteLevelAlphabet.charOf(0xAD)).isEqualTo('\u0143');
    assertThat(ByteLevelAlphabet.charOf('a')).isEqualTo('a');
    assertThat(ByteLevelAlphabet.charOf(0xE9)).isEqualTo('é');
  }

  @Test
  void isABijectionBetweenBytesAndPrintableCharacters() {
    Set<Character> chars = new HashSet<>();
    for (int b = 0; b < 256; b++) {
      char c = ByteLevelAlphabet.charOf(b);
      assertThat(Character.isWhitespace(c) || Character.isISOControl(c)).as("byte %d", b).isFalse();
      assertThat(ByteLevelAlphabet.byteOf(c)).isEqualTo(b);
      chars.add(c);
    }
    assertThat(chars).hasSize(256);
  }

  @Test
  void encodesTextAsItsUtf8BytesAndDecodesBack() {
    assertThat(ByteLevelAlphabet.encode(" the")).isEqualTo("Ġthe");
    assertThat(ByteLevelAlphabet.encode("é")).isEqualTo("Ã©");
    byte[] every = new byte[256];
    for (int b = 0; b < 256; b++) {
      every[b] = (byte) b;
    }
    assertThat(ByteLevelAlphabet.decode(ByteLevelAlphabet.encode(every))).isEqualTo(every);
  }

  @Test
  void aCharacterOutsideTheAlphabetIsAClearError() {
    assertThat(ByteLevelAlphabet.byteOf(' ')).isEqualTo(-1);
    assertThatThrownBy(() -> ByteLevelAlphabet.decode("Ġthe cat"))
        .hasMessageContaining("U+0020 at index 4");
  }
}
