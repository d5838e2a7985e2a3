package org.millrace.tokenizer.bpe;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GptPreTokenizerTest {

  @TempDir Path directory;

  @Test
  void splitsLikeHuggingFacesByteLevelPreTokenizer() {
    // tokenizers, pre_tokenizers/byte_level.rs, test pre_tokenization
    assertThat(GptPreTokenizer.byteLevelWords("Hello my friend, how is your day going?"))
        .containsExactly(
            "Hello", "Ġmy", "Ġfriend", ",", "Ġhow", "Ġis", "Ġyour", "Ġday", "Ġgoing", "?");
  }

  @Test
  void keepsTheLastSpaceOfARunForTheNextWord() {
    assertThat(GptPreTokenizer.split("a   b")).containsExactly("a", "  ", " b");
    assertThat(GptPreTokenizer.split("a\n\n b")).containsExactly("a", "\n\n", " b");
    assertThat(GptPreTokenizer.split("end.  \n")).containsExactly("end", ".", "  \n");
  }

  @Test
  void splitsLowerCaseContractionsOnly() {
    assertThat(GptPreTokenizer.split("it's I'LL they'd've"))
        .containsExactly("it", "'s", " I", "'", "LL", " they", "'d", "'ve");
  }

  @Test
  void treatsUnicodeSpacesAsSpacesAndUnicodeLettersAndNumbersAsSuch() {
    // Only the ASCII space joins the next word; a no-break space stays a word of its own.
    assertThat(GptPreTokenizer.split("a\u00a0\u00a0b 東京 x² Ⅻ ١٢٣"))
        .containsExactly("a", "\u00a0", "\u00a0", "b", " 東京", " x", "²", " Ⅻ", " ١٢٣");
    // A combining mark is neither a letter nor a number: decomposed text splits at it.
    assertThat(GptPreTokenizer.split("e\u0301t\u00e9")).containsExactly("e", "\u0301", "t\u00e9");
  }

  @Test
  void theWordsConcatenateToTheText() {
    assertThat(String.join("", GptPreTokenizer.split(TestCorpora.MULTILINGUAL)))
        .isEqualTo(TestCorpora.MULTILINGUAL);
  }

  /**
   * Java's regex and Hugging Face's (Oniguruma, in Rust) must split alike, or the trainer counts
   * words the encoder never sees. A tokenizer.json with the ByteLevel pre-tokenizer and a WordLevel
   * model that knows no word encodes each word to one unknown token, whose span is the word. Every
   * code point this JDK has a category for (Java 17: Unicode 13) is tried next to letters, numbers,
   * symbols and spaces. Code points that Java leaves unassigned but Oniguruma's newer Unicode
   * tables know (about 9,900, such as CJK extension G) do split differently: Java sees symbols
   * where Oniguruma sees letters.
   */
  @Test
  void agreesWithHuggingFaceOnEveryAssignedCodePoint() throws Exception {
    Path wordLevel = directory.resolve("tokenizer.json");
    Files.writeString(
        wordLevel,
        """
        {
          "version": "1.0",
          "added_tokens": [],
          "normalizer": null,
          "pre_tokenizer": {
            "type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": true
          },
          "post_processor": null,
          "decoder": null,
          "model": {"type": "WordLevel", "vocab": {"?": 0}, "unk_token": "?"}
        }
        """);
    StringBuilder probes = new StringBuilder();
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      int type = Character.getType(cp);
      if (type == Character.UNASSIGNED
          || type == Character.SURROGATE
          || type == Character.PRIVATE_USE) {
        continue;
      }
      String c = Character.toString(cp);
      probes.append("a").append(c).append(c).append("!").append(c).append(" b ").append(c);
      probes.append("x").append(c).append("1 ").append(c).append("'s").append(c).append("\n");
    }
    String text = probes.toString();

    // Spans count code points, not Java chars.
    int[] charIndex = new int[text.codePointCount(0, text.length()) + 1];
    for (int i = 0, c = 0; c < text.length(); i++) {
      c += Character.charCount(text.codePointAt(c));
      charIndex[i + 1] = c;
    }
    List<String> words = new ArrayList<>();
    try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizers.load(wordLevel)) {
      for (CharSpan span : tokenizer.encode(text).getCharTokenSpans()) {
        words.add(text.substring(charIndex[span.getStart()], charIndex[span.getEnd()]));
      }
    }

    List<String> ours = GptPreTokenizer.split(text);
    for (int i = 0; i < Math.min(ours.size(), words.size()); i++) {
      assertThat(ours.get(i)).as("word %d", i).isEqualTo(words.get(i));
    }
    assertThat(ours).hasSameSizeAs(words);
  }
}
