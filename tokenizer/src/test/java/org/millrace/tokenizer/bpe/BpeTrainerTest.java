package org.millrace.tokenizer.bpe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BpeTrainerTest {

  private static final List<String> SPECIALS = List.of("<|endoftext|>", "<|pad|>", "<|mask|>");

  @Test
  void learnsTheMergesOfTheTextbookAlgorithmOnShakespeare() throws Exception {
    String text = TestCorpora.shakespeare().substring(0, 5_000);

    BpeModel model = train(text, 256 + 400 + SPECIALS.size());

    assertThat(model.merges()).hasSize(400).isEqualTo(ReferenceBpe.merges(text, 400));
  }

  /**
   * Few letters, many equal counts: the tie-break decides most merges here. The vocabulary asked
   * for is more than the corpus has pairs for, so both also agree on where the pairs run out.
   */
  @Test
  void learnsTheMergesOfTheTextbookAlgorithmWhenCountsTie() {
    String text = tiedText(new Random(2016), 3_000);

    BpeModel model = train(text, 20_000);

    List<BpeModel.Merge> expected = ReferenceBpe.merges(text, 20_000);
    assertThat(expected).hasSizeGreaterThan(100);
    assertThat(model.merges()).isEqualTo(expected);
    assertThat(train(text, 256 + 60 + SPECIALS.size()).merges())
        .isEqualTo(ReferenceBpe.merges(text, 60));
  }

  @Test
  void mergesARunOfOneSymbolFromTheLeft() {
    BpeModel model = train("aaaaa aaaaa", 256 + 3 + SPECIALS.size());

    // (a, a) occurs 4 times in each word and makes "aa aa a"; then (aa, aa) and (aa, a) tie at 2,
    // and "a" is the smaller right token; "aa aaa" then needs (aa, aaa).
    assertThat(model.merges())
        .containsExactly(
            new BpeModel.Merge("a", "a"),
            new BpeModel.Merge("aa", "a"),
            new BpeModel.Merge("aa", "aaa"));
  }

  @Test
  void theVocabularyIsTheBytesThenTheLearnedTokensThenTheSpecialTokens() throws Exception {
    BpeModel model = train(TestCorpora.shakespeare(), 1_000);

    assertThat(model.vocabularySize()).isEqualTo(1_000);
    List<String> vocabulary = model.vocabulary();
    for (int b = 0; b < 256; b++) {
      assertThat(vocabulary.get(b)).isEqualTo(String.valueOf(ByteLevelAlphabet.charOf(b)));
    }
    // No two merges made the same string in this run, so merge i made token 256 + i.
    assertThat(model.merges()).hasSize(1_000 - 256 - SPECIALS.size());
    for (int i = 0; i < model.merges().size(); i++) {
      BpeModel.Merge merge = model.merges().get(i);
      assertThat(vocabulary.get(256 + i)).isEqualTo(merge.left() + merge.right());
    }
    assertThat(vocabulary.subList(997, 1_000)).isEqualTo(SPECIALS);
    assertThat(model.specialTokenId("<|endoftext|>")).isEqualTo(997);
    assertThat(model.specialTokenId("<|mask|>")).isEqualTo(999);
  }

  @Test
  void aCorpusThatRunsOutOfPairsGivesASmallerVocabulary() {
    // "ab" and "Ġab": merges "a b", "Ġ ab"; nothing is left to merge after that.
    BpeModel model = train("ab ab ab", 50_000);

    assertThat(model.merges())
        .containsExactly(new BpeModel.Merge("a", "b"), new BpeModel.Merge("Ġ", "ab"));
    assertThat(model.vocabularySize()).isEqualTo(256 + 2 + SPECIALS.size());
    assertThat(model.specialTokenId("<|endoftext|>")).isEqualTo(258);
  }

  @Test
  void specialTokensInTheTextAreNotLearned() {
    BpeTrainer trainer = new BpeTrainer(300, SPECIALS);
    for (int i = 0; i < 100; i++) {
      trainer.add("once upon a time<|endoftext|>the end<|pad|><|pad|>");
    }

    BpeModel model = trainer.train();

    assertThat(model.merges())
        .allSatisfy(
            merge -> assertThat(merge.left() + merge.right()).doesNotContain("<", "|", ">"));
    // once, Ġupon, Ġa, Ġtime, the, Ġend
    assertThat(trainer.distinctWords()).isEqualTo(6);
  }

  @Test
  void noMergeMakesTheNameOfASpecialToken() {
    // An odd special token, but a legal one: the byte-level spelling of " the".
    BpeTrainer trainer = new BpeTrainer(400, List.of("Ġthe"));
    trainer.add(" the the the then there");

    BpeModel model = trainer.train();

    assertThat(model.vocabulary()).containsOnlyOnce("Ġthe");
    assertThat(model.specialTokenId("Ġthe")).isEqualTo(model.vocabularySize() - 1);
    assertThat(model.merges()).doesNotContain(new BpeModel.Merge("Ġth", "e"));
  }

  @Test
  void theOrderOfTheTextDoesNotChangeTheResult() throws Exception {
    List<String> lines = new ArrayList<>(List.of(TestCorpora.shakespeare().split("(?<=\n)")));
    BpeTrainer forward = new BpeTrainer(2_000, SPECIALS);
    lines.forEach(forward::add);
    Collections.shuffle(lines, new Random(42));
    BpeTrainer shuffled = new BpeTrainer(2_000, SPECIALS);
    lines.forEach(shuffled::add);

    assertThat(shuffled.train().toTokenizerJson()).isEqualTo(forward.train().toTokenizerJson());
  }

  @Test
  void trainsShakespeareWithAVocabularyOf8192() throws Exception {
    BpeTrainer trainer = new BpeTrainer(8_192, SPECIALS);
    long started = System.nanoTime();
    trainer.add(TestCorpora.shakespeare());
    long counted = System.nanoTime();

    BpeModel model = trainer.train();

    long trained = System.nanoTime();
    assertThat(model.vocabularySize()).isEqualTo(8_192);
    System.out.printf(
        "BPE on Shakespeare: %,d distinct words counted in %.2f s, %,d merges learned in %.2f s%n",
        trainer.distinctWords(),
        (counted - started) / 1e9,
        model.merges().size(),
        (trained - counted) / 1e9);
  }

  @Test
  void rejectsWhatCannotMakeAVocabulary() {
    assertThatThrownBy(() -> new BpeTrainer(257, SPECIALS)).hasMessageContaining("cannot hold");
    assertThatThrownBy(() -> new BpeTrainer(1_000, List.of("<|pad|>", "<|pad|>")))
        .hasMessageContaining("repeat");
    assertThatThrownBy(() -> new BpeTrainer(1_000, List.of("Ġ")))
        .hasMessageContaining("byte token");
    assertThatThrownBy(() -> new BpeTrainer(1_000, List.of(""))).hasMessageContaining("empty");
  }

  private static BpeModel train(String text, int vocabularySize) {
    BpeTrainer trainer = new BpeTrainer(vocabularySize, SPECIALS);
    trainer.add(text);
    return trainer.train();
  }

  /** Words of one to six letters from "abc", a few numbers, symbols and runs of spaces. */
  private static String tiedText(Random random, int words) {
    String[] pieces = {"a", "b", "c", "1", "!", "  ", "\n"};
    int[] weights = {8, 8, 8, 2, 1, 1, 1};
    StringBuilder text = new StringBuilder();
    for (int w = 0; w < words; w++) {
      text.append(' ');
      int length = 1 + random.nextInt(6);
      for (int i = 0; i < length; i++) {
        int pick = random.nextInt(29);
        int p = 0;
        while (pick >= weights[p]) {
          pick -= weights[p++];
        }
        text.append(pieces[p]);
      }
    }
    return text.toString();
  }
}
