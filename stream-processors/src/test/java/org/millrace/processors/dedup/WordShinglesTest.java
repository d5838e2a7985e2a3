package org.millrace.processors.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WordShinglesTest {

  @Test
  void caseSpacingAndPunctuationDoNotMakeTwoCopiesDiffer() {
    assertThat(WordShingles.of("The cat sat on the mat, and then it slept.", 5))
        .containsExactly(WordShingles.of("the  CAT sat\non the mat and then -- it slept!", 5));
  }

  @Test
  void oneShinglePerRunOfWordsAndOrderMatters() {
    int[] shingles = WordShingles.of("one two three four five six seven", 5);

    assertThat(shingles).hasSize(3);
    assertThat(WordShingles.of("two one three four five", 5)).doesNotContain(shingles[0]);
    assertThat(WordShingles.of("one two three four five", 5)).containsExactly(shingles[0]);
  }

  @Test
  void aShortTextIsOneShingleAndATextWithoutWordsHasNone() {
    assertThat(WordShingles.of("just three words", 5)).hasSize(1);
    assertThat(WordShingles.of("!!! ... ---", 5)).isEmpty();
    assertThat(WordShingles.of("", 5)).isEmpty();
  }

  @Test
  void wordsAreLettersAndDigitsOfAnyScript() {
    assertThat(WordShingles.wordHashes("Grüße, 東京 2024 — naïve")).hasSize(4);
  }
}
