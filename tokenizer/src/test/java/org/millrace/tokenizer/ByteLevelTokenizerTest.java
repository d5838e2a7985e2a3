package org.millrace.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ByteLevelTokenizerTest {

  private final ByteLevelTokenizer tokenizer = new ByteLevelTokenizer();

  @Test
  void encodesUtf8BytesAndDecodesThemBack() {
    String text = "naïve café — 東京 🚀\u202Eשלום\n\ttab";

    int[] ids = tokenizer.encode(text);

    assertThat(ids).hasSize(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    assertThat(java.util.Arrays.stream(ids).allMatch(id -> id >= 0 && id < 256)).isTrue();
    assertThat(tokenizer.decode(ids)).isEqualTo(text);
  }

  @Test
  void specialTokensFollowTheBytes() {
    assertThat(tokenizer.vocabularySize()).isEqualTo(259);
    assertThat(tokenizer.specialTokenId("<|mask|>")).hasValue(258);
    assertThat(tokenizer.specialTokenId("<|unk|>")).isEmpty();
    assertThat(tokenizer.endOfTextId()).isEqualTo(256);
    assertThat(tokenizer.decode(new int[] {'h', 'i', 256, 'x', 257}))
        .isEqualTo("hi<|endoftext|>x<|pad|>");
  }

  @Test
  void invalidByteSequencesFromASampleDecodeToReplacementCharacters() {
    assertThat(tokenizer.decode(new int[] {0xE6, 'a'})).isEqualTo("\uFFFDa");
    assertThatThrownBy(() -> tokenizer.decode(new int[] {259}))
        .hasMessageContaining("outside the vocabulary");
  }

  @Test
  void theFingerprintChangesWithTheSpecialTokens() {
    assertThat(new ByteLevelTokenizer().fingerprint())
        .isEqualTo(tokenizer.fingerprint())
        .hasSize(16);
    assertThat(new ByteLevelTokenizer(List.of(ByteLevelTokenizer.END_OF_TEXT)).fingerprint())
        .isNotEqualTo(tokenizer.fingerprint());
    assertThatThrownBy(() -> new ByteLevelTokenizer(List.of("<|pad|>")))
        .hasMessageContaining("first special token");
  }
}
