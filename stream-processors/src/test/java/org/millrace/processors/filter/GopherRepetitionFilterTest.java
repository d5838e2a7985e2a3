package org.millrace.processors.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.millrace.processors.filter.Verdicts.assertDropped;
import static org.millrace.processors.filter.Verdicts.assertKept;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each rule at its published threshold, just inside and just outside, with the other rules switched
 * off (a fraction limit of 1, no n-gram limits) so that one rule is under test. The texts are
 * padded to an exact length with {@link #filler} words that repeat nothing.
 */
class GopherRepetitionFilterTest {

  private static final GopherRepetitionFilter.Settings DEFAULTS =
      GopherRepetitionFilter.Settings.DEFAULTS;

  @Test
  void threeRepeatedParagraphsInTenAreTheMost() {
    GopherRepetitionFilter filter = only(DEFAULTS.maxDuplicateParagraphFraction(), 1, 1, 1);
    // "Ok." four times (three repeats) or five times (four repeats), among ten paragraphs.
    String inside = String.join("\n\n", "Ok.", "Ok.", "Ok.", "Ok.", "a", "b", "c", "d", "e", "f");
    String outside =
        String.join("\n\n", "Ok.", "Ok.", "Ok.", "Ok.", "Ok.", "b", "c", "d", "e", "f");

    assertKept(filter.apply(FilterDocument.ofText(inside)));
    FilterVerdict.Drop drop =
        assertDropped(filter.apply(FilterDocument.ofText(outside)), "gopher_duplicate_paragraphs");
    assertThat(drop.value()).isEqualTo(0.4);
  }

  @Test
  void repeatedParagraphsMayHoldAFifthOfTheCharacters() {
    GopherRepetitionFilter filter = only(1, DEFAULTS.maxDuplicateParagraphCharFraction(), 1, 1);
    // "abcd" twice: 4 repeated characters in 20 (4 + 2 + 8 + 2 + 4), then in 19.
    String inside = "abcd\n\nefghijkl\n\nabcd";
    String outside = "abcd\n\nefghijk\n\nabcd";

    assertKept(filter.apply(FilterDocument.ofText(inside)));
    FilterVerdict.Drop drop =
        assertDropped(
            filter.apply(FilterDocument.ofText(outside)), "gopher_duplicate_paragraph_chars");
    assertThat(drop.value()).isEqualTo(4.0 / 19);
  }

  @Test
  void threeRepeatedLinesInTenAreTheMost() {
    GopherRepetitionFilter filter = only(1, 1, DEFAULTS.maxDuplicateLineFraction(), 1);
    // one paragraph of ten lines; blank lines between do not make more lines.
    String inside = "x\ny\n\n\nx\nx\nx\nz\nu\nv\nw\nq";
    String outside = "x\ny\nx\nx\nx\nx\nu\nv\nw\nq";

    assertKept(filter.apply(FilterDocument.ofText(inside)));
    assertDropped(filter.apply(FilterDocument.ofText(outside)), "gopher_duplicate_lines");
  }

  @Test
  void repeatedLinesMayHoldAFifthOfTheCharacters() {
    GopherRepetitionFilter filter = only(1, 1, 1, DEFAULTS.maxDuplicateLineCharFraction());
    // 4 repeated characters in 20 (4 + 1 + 10 + 1 + 4), then in 19.
    String inside = "abcd\nefghijklmn\nabcd";
    String outside = "abcd\nefghijklm\nabcd";

    assertKept(filter.apply(FilterDocument.ofText(inside)));
    assertDropped(filter.apply(FilterDocument.ofText(outside)), "gopher_duplicate_line_chars");
  }

  /**
   * The most frequent n-gram, its words joined by spaces, times its count, against the limit: a
   * repeated n-gram of {@code chars} characters, twice, in a text of exactly {@code length}.
   */
  @ParameterizedTest(name = "top {0}-gram \"{1}\" twice in {2} characters")
  @CsvSource({"2, ab cdefghi, 100", "3, abc de fg, 100", "4, a b c de, 100"})
  void theMostFrequentNgramMayCoverTheLimit(int n, String ngram, int length) {
    double limit = DEFAULTS.maxTopNgramCharFractions().get(n);
    GopherRepetitionFilter filter =
        new GopherRepetitionFilter(
            new GopherRepetitionFilter.Settings(1, 1, 1, 1, Map.of(n, limit), Map.of()));
    assertThat(2.0 * ngram.length() / length).isEqualTo(limit);

    assertTheLimitIsInclusive(
        filter,
        ngram,
        length,
        "top_" + n + "gram_char_fraction",
        limit,
        "gopher_top_" + n + "gram");
  }

  /**
   * Repeats of earlier n-grams, words joined without spaces: one n-gram of {@code chars} characters
   * said twice in a row, in a text of exactly {@code length}.
   */
  @ParameterizedTest(name = "duplicate {0}-grams \"{1}\" in {2} characters")
  @CsvSource({
    "5, a b c d ef, 40",
    "6, a b c d e fg, 50",
    "7, a b c d e f ghijklm, 100",
    "8, a b c d e f g hi, 75",
    "9, a b c d e f g h ijk, 100",
    "10, a b c d e f g h i j, 100"
  })
  void repeatedNgramsMayCoverTheLimit(int n, String ngram, int length) {
    double limit = DEFAULTS.maxDuplicateNgramCharFractions().get(n);
    GopherRepetitionFilter filter =
        new GopherRepetitionFilter(
            new GopherRepetitionFilter.Settings(1, 1, 1, 1, Map.of(), Map.of(n, limit)));
    int chars = ngram.replace(" ", "").length();
    assertThat((double) chars / length).isEqualTo(limit);

    assertTheLimitIsInclusive(
        filter,
        ngram,
        length,
        "duplicate_" + n + "gram_char_fraction",
        limit,
        "gopher_duplicate_" + n + "grams");
  }

  /**
   * {@code ngram} said twice then filler, in exactly {@code length} characters, measures {@code
   * limit} as {@code signal} and is kept; in one character fewer it is dropped for {@code reason}.
   */
  private static void assertTheLimitIsInclusive(
      GopherRepetitionFilter filter,
      String ngram,
      int length,
      String signal,
      double limit,
      String reason) {
    String repeated = ngram + " " + ngram + " ";
    FilterDocument inside = FilterDocument.ofText(repeated + filler(length - repeated.length()));
    FilterDocument outside =
        FilterDocument.ofText(repeated + filler(length - 1 - repeated.length()));

    assertKept(filter.apply(inside));
    assertThat(inside.signals()).containsEntry("gopher_repetition." + signal, limit);
    assertDropped(filter.apply(outside), reason);
  }

  @Test
  void rulesAreCheckedInGophersOrderAndEverySignalIsRecorded() {
    FilterDocument document = FilterDocument.ofText("spam spam\n\nspam spam\n\nspam spam");

    FilterVerdict.Drop drop =
        assertDropped(
            new GopherRepetitionFilter(DEFAULTS).apply(document), "gopher_duplicate_paragraphs");
    assertThat(drop.value()).isEqualTo(2.0 / 3);
    assertThat(document.signals()).hasSize(4 + 3 + 6);
    assertThat(document.signals().keySet())
        .startsWith(
            "gopher_repetition.duplicate_paragraph_fraction",
            "gopher_repetition.duplicate_paragraph_char_fraction",
            "gopher_repetition.duplicate_line_fraction",
            "gopher_repetition.duplicate_line_char_fraction",
            "gopher_repetition.top_2gram_char_fraction");
  }

  @Test
  void aTextWithoutRepeatsIsKeptWithEverySignalZero() {
    FilterDocument document = FilterDocument.ofText(filler(5_000));

    assertKept(new GopherRepetitionFilter(DEFAULTS).apply(document));
    assertThat(document.signals().values()).containsOnly(0.0);
  }

  @Test
  void aMegabyteOfBoilerplateIsMeasuredAndDropped() {
    String boilerplate = "Home | About us | Contact | Subscribe to our newsletter\n\n";
    FilterDocument document = FilterDocument.ofText(boilerplate.repeat(1_000_000 / 57));

    assertDropped(
        new GopherRepetitionFilter(DEFAULTS).apply(document), "gopher_duplicate_paragraphs");
    assertThat(document.signals()).containsKey("gopher_repetition.duplicate_10gram_char_fraction");
  }

  /**
   * {@link WordNgrams} against a plain transcription of datatrove's {@code find_top_duplicate} and
   * {@code find_all_duplicate} (strings in hash maps), on random texts of a small vocabulary, so
   * that repeats, overlaps and ties abound.
   */
  @Test
  void countsTheSameAsDatatrovesPlainAlgorithm() {
    Random random = new Random(7);
    String[] vocabulary = {"a", "bb", "ccc", "a", "dd", "e", "."};
    for (int trial = 0; trial < 300; trial++) {
      StringBuilder text = new StringBuilder();
      int words = random.nextInt(60);
      for (int i = 0; i < words; i++) {
        text.append(vocabulary[random.nextInt(trial % 2 == 0 ? 3 : vocabulary.length)]).append(' ');
      }
      TextWords tokens = TextWords.of(text.toString());
      WordNgrams ngrams = new WordNgrams(tokens);
      for (int n = 2; n <= 10; n++) {
        assertThat(ngrams.topNgramCharacters(n))
            .as("top %d-gram of %s", n, text)
            .isEqualTo(plainTop(tokens, n));
        assertThat(ngrams.duplicateNgramCharacters(n))
            .as("%d-grams of %s", n, text)
            .isEqualTo(plainDuplicates(tokens, n));
      }
    }
  }

  private static long plainTop(TextWords tokens, int n) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (int i = 0; i + n <= tokens.count(); i++) {
      counts.merge(join(tokens, i, n, " "), 1, Integer::sum);
    }
    String top = null;
    int topCount = 0;
    for (Map.Entry<String, Integer> entry : counts.entrySet()) {
      if (entry.getValue() > topCount) {
        top = entry.getKey();
        topCount = entry.getValue();
      }
    }
    return topCount < 2 ? 0 : (long) top.length() * topCount;
  }

  private static long plainDuplicates(TextWords tokens, int n) {
    Set<String> seen = new HashSet<>();
    long repeated = 0;
    int i = 0;
    while (i < tokens.count() - n + 1) {
      String ngram = join(tokens, i, n, "\u0000");
      if (seen.contains(ngram)) {
        repeated += ngram.length() - (n - 1);
        i += n;
      } else {
        seen.add(ngram);
        i++;
      }
    }
    return repeated;
  }

  private static String join(TextWords tokens, int start, int n, String separator) {
    StringBuilder joined = new StringBuilder(tokens.get(start));
    for (int i = start + 1; i < start + n; i++) {
      joined.append(separator).append(tokens.get(i));
    }
    return joined.toString();
  }

  private static GopherRepetitionFilter only(
      double paragraphs, double paragraphChars, double lines, double lineChars) {
    return new GopherRepetitionFilter(
        new GopherRepetitionFilter.Settings(
            paragraphs, paragraphChars, lines, lineChars, Map.of(), Map.of()));
  }

  /** Exactly {@code length} characters of words that occur once and differ from the tests'. */
  static String filler(int length) {
    StringBuilder text = new StringBuilder();
    int word = 1000;
    while (length - text.length() > 9) {
      text.append('v').append(word++).append(' ');
    }
    text.append("w".repeat(length - text.length()));
    assertThat(text).hasSize(length);
    return text.toString();
  }
}
