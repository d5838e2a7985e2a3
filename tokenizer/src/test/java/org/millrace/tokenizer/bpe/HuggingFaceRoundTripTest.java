package org.millrace.tokenizer.bpe;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our tokenizer.json, loaded by Hugging Face tokenizers through DJL, as the pipeline will. */
class HuggingFaceRoundTripTest {

  private static final List<String> SPECIALS = List.of("<|endoftext|>", "<|pad|>", "<|mask|>");

  @TempDir Path directory;

  @Test
  void encodesAndDecodesTheTrainingTextExactly() throws Exception {
    String shakespeare = TestCorpora.shakespeare();
    BpeModel model = trained(shakespeare, 2_048);

    try (HuggingFaceTokenizer tokenizer = load(model)) {
      Encoding encoding = tokenizer.encode(shakespeare);
      long[] ids = encoding.getIds();

      // The whole text, not the 512 tokens DJL truncates to by default.
      assertThat(tokenizer.decode(ids, false)).isEqualTo(shakespeare);
      assertThat(Arrays.stream(ids).max().getAsLong()).isLessThan(2_048);
      // 2.9 characters a token here; GPT-2's 50,257 tokens give 3.3 (nanoGPT: 338,025 tokens).
      assertThat(ids.length).isBetween(338_025, shakespeare.length() * 10 / 25);
      // Hugging Face's token for each id is ours.
      String[] tokens = encoding.getTokens();
      for (int i = 0; i < 1_000; i++) {
        assertThat(tokens[i]).isEqualTo(model.vocabulary().get((int) ids[i]));
      }
    }
  }

  @Test
  void aFrequentWordIsOneToken() throws Exception {
    BpeModel model = trained(TestCorpora.shakespeare(), 2_048);

    try (HuggingFaceTokenizer tokenizer = load(model)) {
      assertThat(tokenizer.encode(" the").getTokens()).containsExactly("Ġthe");
      assertThat(tokenizer.encode("KING HENRY VI").getIds()).hasSizeLessThan(13);
    }
  }

  @Test
  void encodesAndDecodesEveryScriptExactly() throws Exception {
    BpeModel trainedOnIt = trained(TestCorpora.MULTILINGUAL.repeat(10), 600);
    BpeModel bytesOnly = trained("", 256 + SPECIALS.size());
    assertThat(bytesOnly.merges()).isEmpty();

    for (BpeModel model : List.of(trainedOnIt, bytesOnly)) {
      try (HuggingFaceTokenizer tokenizer = load(model)) {
        for (String text : TestCorpora.MULTILINGUAL.split("(?<=\n)")) {
          long[] ids = tokenizer.encode(text).getIds();

          assertThat(tokenizer.decode(ids, false)).isEqualTo(text);
          assertThat(Arrays.stream(ids).max().getAsLong()).isLessThan(model.vocabularySize());
        }
      }
    }
    try (HuggingFaceTokenizer tokenizer = load(trainedOnIt)) {
      String text = TestCorpora.MULTILINGUAL;
      assertThat(tokenizer.encode(text).getIds().length)
          .isLessThan(text.getBytes(StandardCharsets.UTF_8).length / 3);
    }
  }

  @Test
  void aSpecialTokenInTheTextIsItsOwnId() throws Exception {
    BpeModel model = trained(TestCorpora.MULTILINGUAL, 400);
    String text = "The fox<|endoftext|>東京<|pad|><|pad|> the end";

    try (HuggingFaceTokenizer tokenizer = load(model)) {
      long[] ids = tokenizer.encode(text).getIds();

      assertThat(ids)
          .containsSubsequence(
              model.specialTokenId("<|endoftext|>"),
              model.specialTokenId("<|pad|>"),
              model.specialTokenId("<|pad|>"));
      assertThat(Arrays.stream(ids).filter(id -> id >= 400 - SPECIALS.size())).hasSize(3);
      assertThat(tokenizer.decode(ids, false)).isEqualTo(text);
      // DJL's decode(ids) skips special tokens whenever encoding adds none: ask for them.
      assertThat(tokenizer.decode(ids)).isEqualTo("The fox東京 the end");
    }
  }

  private static BpeModel trained(String text, int vocabularySize) {
    BpeTrainer trainer = new BpeTrainer(vocabularySize, SPECIALS);
    trainer.add(text);
    return trainer.train();
  }

  private HuggingFaceTokenizer load(BpeModel model) throws Exception {
    Path file = directory.resolve("tokenizer-" + System.nanoTime() + ".json");
    model.write(file);
    return HuggingFaceTokenizers.load(file);
  }
}
