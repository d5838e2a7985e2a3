package org.millrace.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.tokenizer.bpe.BpeModel;
import org.millrace.tokenizer.bpe.BpeTrainer;

/** A tokenizer.json run through DJL, as the tokenize stage and the trainer use it. */
class HuggingFaceTokenizerFileTest {

  private static final String TEXT =
      "It was the best of times, it was the worst of times, it was the age of wisdom, it was the"
          + " age of foolishness, it was the epoch of belief, it was the epoch of incredulity.\n";

  @TempDir static Path directory;
  private static Path file;
  private static BpeModel model;

  @BeforeAll
  static void train() throws Exception {
    BpeTrainer trainer = new BpeTrainer(400, List.of("<|endoftext|>", "<|pad|>"));
    trainer.add(TEXT.repeat(20));
    model = trainer.train();
    file = directory.resolve("tokenizer.json");
    model.write(file);
  }

  @Test
  void encodesAndDecodesTextOfAnyLengthExactly() throws Exception {
    Tokenizer tokenizer = Tokenizers.load(file, "<|endoftext|>");
    String long_ =
        TEXT.repeat(200); // far beyond the 512 tokens DJL truncates to unless told not to

    int[] ids = tokenizer.encode(long_);

    assertThat(tokenizer).isInstanceOf(HuggingFaceTokenizerFile.class);
    assertThat(ids.length).isGreaterThan(2000).isLessThan(long_.length() / 2);
    assertThat(tokenizer.decode(ids)).isEqualTo(long_);
    assertThat(tokenizer.encodeAll(List.of(TEXT, "it was")))
        .satisfiesExactly(
            first -> assertThat(first).containsExactly(tokenizer.encode(TEXT)),
            second -> assertThat(second).containsExactly(tokenizer.encode("it was")));
  }

  @Test
  void knowsItsVocabularyItsEndOfTextAndItsFingerprint() throws Exception {
    Tokenizer tokenizer = Tokenizers.load(file, "<|endoftext|>");

    // The text has fewer distinct pairs than 400 ids would need: the trainer stops early.
    assertThat(tokenizer.vocabularySize()).isEqualTo(model.vocabularySize()).isLessThan(400);
    assertThat(tokenizer.endOfTextId()).isEqualTo(model.specialTokenId("<|endoftext|>"));
    assertThat(tokenizer.decode(new int[] {tokenizer.endOfTextId()})).isEqualTo("<|endoftext|>");
    assertThat(tokenizer.fingerprint())
        .hasSize(16)
        .isEqualTo(Tokenizers.load(file, "<|endoftext|>").fingerprint());
    Path copy =
        Files.writeString(
            directory.resolve("other.json"),
            Files.readString(file).replace("\"dropout\"", "\"dropout\" "));
    assertThat(Tokenizers.load(copy, "<|endoftext|>").fingerprint())
        .isNotEqualTo(tokenizer.fingerprint());
  }

  @Test
  void aTokenizerWithoutTheEndOfTextTokenIsRefusedWithAHint() {
    assertThatThrownBy(() -> Tokenizers.load(file, "</s>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no end-of-text token '</s>'")
        .hasMessageContaining("tokenizer.end.of.text");
  }
}
