package org.millrace.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.runtime.testing.SharedTestData;

class CharacterTokenizerTest {

  @TempDir Path directory;

  @Test
  void theVocabularyIsTheSortedSetOfCharactersThenTheSpecialTokens() {
    CharacterTokenizer tokenizer =
        CharacterTokenizer.train("hello, world 🙂", List.of("<|endoftext|>"));

    // ' ' , d e h l o r w 🙂
    assertThat(tokenizer.vocabularySize()).isEqualTo(11);
    assertThat(tokenizer.encode(" ,")).containsExactly(0, 1);
    assertThat(tokenizer.encode("🙂")).containsExactly(9);
    assertThat(tokenizer.endOfTextId()).isEqualTo(10);
    assertThat(tokenizer.decode(tokenizer.encode("hello, world 🙂"))).isEqualTo("hello, world 🙂");
    assertThat(tokenizer.decode(new int[] {7, 10})).isEqualTo("r<|endoftext|>");
  }

  @Test
  void reproducesNanoGptsShakespeareVocabulary() throws Exception {
    String text = SharedTestData.tinyShakespeareText();

    CharacterTokenizer tokenizer = CharacterTokenizer.train(text, List.of("<|endoftext|>"));

    // nanoGPT's data/shakespeare_char/prepare.py: "vocab size: 65", the first characters "\n
    // !$&',-.3:;?A"
    assertThat(tokenizer.vocabularySize()).isEqualTo(65 + 1);
    assertThat(tokenizer.decode(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})).isEqualTo("\n !$&',-.3");
    assertThat(tokenizer.encode("First Citizen")).hasSize(13);
  }

  @Test
  void aCharacterOutsideTheVocabularyIsAClearError() {
    CharacterTokenizer tokenizer = CharacterTokenizer.train("abc", List.of("<|endoftext|>"));

    assertThatThrownBy(() -> tokenizer.encode("abcé"))
        .isInstanceOf(CharacterTokenizer.UnknownCharacterException.class)
        .hasMessageContaining("U+00E9");
  }

  @Test
  void savedAndLoadedItIsTheSameTokenizer() throws Exception {
    CharacterTokenizer tokenizer =
        CharacterTokenizer.train("the quick brown fox\n", List.of("<|endoftext|>", "<|pad|>"));
    Path file = directory.resolve("chars.json");
    tokenizer.write(file);

    Tokenizer loaded = Tokenizers.load(file, "<|endoftext|>");

    assertThat(loaded).isInstanceOf(CharacterTokenizer.class);
    assertThat(loaded.fingerprint()).isEqualTo(tokenizer.fingerprint());
    assertThat(loaded.encode("fox quick")).containsExactly(tokenizer.encode("fox quick"));
    assertThat(
            CharacterTokenizer.train("the quick brown cat\n", List.of("<|endoftext|>", "<|pad|>"))
                .fingerprint())
        .isNotEqualTo(tokenizer.fingerprint());
  }

  @Test
  void loadingSaysWhatIsWrongWithAFile() throws Exception {
    Path notJson = Files.writeString(directory.resolve("x.json"), "vocab: nope");
    Path otherJson = Files.writeString(directory.resolve("y.json"), "{\"hello\": 1}");

    assertThatThrownBy(() -> Tokenizers.load(directory.resolve("missing.json"), "<|endoftext|>"))
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> Tokenizers.load(notJson, "<|endoftext|>"))
        .hasMessageContaining("is not JSON");
    assertThatThrownBy(() -> Tokenizers.load(otherJson, "<|endoftext|>"))
        .hasMessageContaining("neither");
    assertThat(Tokenizers.load(null, "<|endoftext|>")).isInstanceOf(ByteLevelTokenizer.class);
  }
}
