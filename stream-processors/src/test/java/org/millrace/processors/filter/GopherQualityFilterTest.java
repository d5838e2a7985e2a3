package org.millrace.processors.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.millrace.processors.filter.Verdicts.assertDropped;
import static org.millrace.processors.filter.Verdicts.assertKept;

import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * Each rule at its published threshold, one document just inside and one just outside. The texts
 * are built from two stop words ("the and") and three-letter filler, so that every other rule
 * passes and the measured value is plain arithmetic.
 */
class GopherQualityFilterTest {

  private final GopherQualityFilter filter =
      new GopherQualityFilter(GopherQualityFilter.Settings.DEFAULTS);

  @Test
  void fiftyWordsAreEnoughAndFortyNineAreNot() {
    assertKept(apply(words(50)));

    FilterVerdict.Drop drop = assertDropped(apply(words(49)), "gopher_too_few_words");
    assertThat(drop.value()).isEqualTo(49);
    assertThat(drop.threshold()).isEqualTo(50);
  }

  @Test
  void symbolsAreNotCountedAsWords() {
    // 49 words and a full stop: 50 tokens, 49 words.
    assertDropped(apply(words(49) + "."), "gopher_too_few_words");
  }

  @Test
  void aHundredThousandWordsAreTheMost() {
    assertKept(apply(words(100_000)));

    assertDropped(apply(words(100_001)), "gopher_too_many_words");
  }

  @Test
  void meanWordLengthOfThreeIsTheShortestKept() {
    // the(3) and(3) + 48 x cat(3): mean 3.0; one "at" for a "cat": 149 / 50 = 2.98.
    assertKept(apply(words(50)));

    FilterVerdict.Drop drop = assertDropped(apply("at " + words(49)), "gopher_words_too_short");
    assertThat(drop.value()).isEqualTo(149.0 / 50);
  }

  @Test
  void meanWordLengthOfTenIsTheLongestKept() {
    // the(3) + and(3) + 47 words of 10 + one of 24 = 500 characters in 50 words: mean 10.0.
    String inside = "the and " + "abcdefghij ".repeat(47) + "x".repeat(24);
    String outside = "the and " + "abcdefghij ".repeat(47) + "x".repeat(25);

    assertKept(apply(inside));
    FilterVerdict.Drop drop = assertDropped(apply(outside), "gopher_words_too_long");
    assertThat(drop.value()).isEqualTo(10.02);
  }

  @Test
  void oneHashPerTenTokensIsTheMost() {
    // 54 words and 6 "#": 6 / 60 = 0.1; 53 words and 7 "#": 7 / 60.
    assertKept(apply(words(54) + " #".repeat(6)));

    FilterVerdict.Drop drop =
        assertDropped(apply(words(53) + " #".repeat(7)), "gopher_too_many_hashes");
    assertThat(drop.value()).isEqualTo(7.0 / 60);
  }

  @Test
  void oneEllipsisPerTenTokensIsTheMostAndBothSpellingsCount() {
    // 54 words, 3 "..." and 3 "…" in the middle of lines: 6 / 60.
    String inside = words(54).replaceFirst("cat", "cat ... … ... … ... …");
    String outside = words(53).replaceFirst("cat", "cat ... … ... … ... … ...");

    assertKept(apply(inside));
    assertDropped(apply(outside), "gopher_too_many_ellipses");
  }

  @Test
  void ninetyPercentOfLinesMayStartWithABullet() {
    // ten lines of "the and cat cat cat cat", nine of them bulleted: 0.9; all ten: 1.0.
    String line = "the and cat cat cat cat";
    String inside = ("- " + line + "\n").repeat(4) + ("• " + line + "\n").repeat(5) + line;
    String outside = ("  - " + line + "\n").repeat(10);

    assertKept(apply(inside));
    FilterVerdict.Drop drop = assertDropped(apply(outside), "gopher_too_many_bullet_lines");
    assertThat(drop.value()).isEqualTo(1.0);
  }

  @Test
  void thirtyPercentOfLinesMayEndWithAnEllipsis() {
    // ten lines of six words; 3 then 4 of them end in an ellipsis (and hold the only one).
    String line = "the and cat cat cat cat";
    String inside = (line + " …\n").repeat(3) + (line + "\n").repeat(7);
    String outside = (line + "...  \n").repeat(4) + (line + "\n").repeat(6);

    assertKept(apply(inside));
    FilterVerdict.Drop drop = assertDropped(apply(outside), "gopher_too_many_ellipsis_lines");
    assertThat(drop.value()).isEqualTo(0.4);
  }

  @Test
  void eightyPercentOfTokensMustHoldALetter() {
    // 48 words with letters and 12 numbers: 48 / 60 = 0.8; 47 and 13: 47 / 60. Four-digit
    // numbers keep the mean word length above 3.
    assertKept(apply(words(48) + " 1984".repeat(12)));

    FilterVerdict.Drop drop =
        assertDropped(apply(words(47) + " 1984".repeat(13)), "gopher_too_few_alpha_words");
    assertThat(drop.value()).isEqualTo(47.0 / 60);
  }

  @Test
  void twoDistinctStopWordsAreNeededAndCaseMatters() {
    String filler = " cat".repeat(48);
    assertKept(apply("the with" + filler));

    assertDropped(apply("the the" + filler), "gopher_too_few_stop_words");
    FilterVerdict.Drop drop =
        assertDropped(apply("The With" + filler), "gopher_too_few_stop_words");
    assertThat(drop.value()).isZero();
  }

  @Test
  void everySignalIsRecordedEvenWhenTheFirstRuleDrops() {
    FilterDocument document = FilterDocument.ofText("Too short... #");

    assertDropped(filter.apply(document), "gopher_too_few_words");
    assertThat(document.signals())
        .containsOnlyKeys(
            "gopher_quality.words",
            "gopher_quality.mean_word_length",
            "gopher_quality.hash_ratio",
            "gopher_quality.ellipsis_ratio",
            "gopher_quality.bullet_lines_ratio",
            "gopher_quality.ellipsis_lines_ratio",
            "gopher_quality.alpha_words_ratio",
            "gopher_quality.stop_words")
        .containsEntry("gopher_quality.words", 2.0)
        .containsEntry("gopher_quality.hash_ratio", 0.25);
  }

  @Test
  void anEmptyDocumentIsTooShortAndItsRatiosAreZero() {
    FilterDocument document = FilterDocument.ofText("");

    assertDropped(filter.apply(document), "gopher_too_few_words");
    assertThat(document.signals().values()).containsOnly(0.0);
  }

  @Test
  void aRuleIsSwitchedOffByALimitNoDocumentCrosses() {
    GopherQualityFilter lenient =
        new GopherQualityFilter(
            new GopherQualityFilter.Settings(
                0, Integer.MAX_VALUE, 0, Double.MAX_VALUE, 1, 1, 1, 0, 0, Collections.emptySet()));

    assertKept(lenient.apply(FilterDocument.ofText("# ... # …")));
  }

  /** {@code n} words: "the and" then "cat"s, each three letters long. */
  private static String words(int n) {
    return "the and" + " cat".repeat(n - 2);
  }

  private FilterVerdict apply(String text) {
    return filter.apply(FilterDocument.ofText(text));
  }
}
