package org.millrace.processors.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Short documents with the signals counted by hand, run through the four quality filters with their
 * published settings. Each case lists the signals worth checking for it, not all of them.
 *
 * <p>How the counting goes: tokens are {@link TextWords}' words and runs of symbols ({@code .} is a
 * token, {@code ...} is one token); Gopher's {@code words} leave the symbols out but its ratios
 * divide by all tokens; character fractions divide by the text's length; C4 reads Python's {@code
 * splitlines()}, FineWeb the non-blank pieces between {@code \n}s, Gopher's repetition the pieces
 * between runs of {@code \n}.
 */
class QualitySignalsTableTest {

  record Case(String text, Map<String, Double> signals) {
    @Override
    public String toString() {
      String shown = text.replace("\n", "⏎");
      return shown.length() > 40 ? shown.substring(0, 40) + "…" : shown;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        // The, cat, sat, "." : 4 tokens, 3 words; "The" is not the stop word "the".
        doc(
            "The cat sat.",
            "gopher_quality: words=3 mean_word_length=3 alpha_words_ratio=0.75 stop_words=0",
            "gopher_repetition: top_2gram_char_fraction=0",
            "c4_quality: lines_kept=1 sentences=1",
            "fineweb_quality: line_punctuation_ratio=1 short_line_ratio=1 newline_word_ratio=0"),
        // "the the" occurs 3 times (overlapping): 7 characters x 3 in a text of 15.
        doc(
            "the the the the",
            "gopher_quality: words=4 stop_words=1",
            "gopher_repetition: top_2gram_char_fraction=21/15 top_3gram_char_fraction=22/15",
            "gopher_repetition: duplicate_5gram_char_fraction=0",
            "c4_quality: lines_no_terminal_punctuation=1 lines_kept=0",
            "fineweb_quality: line_punctuation_ratio=0"),
        // Length 19. 2-grams: "a b" x5 (3 chars). 3-grams "a b a" x4 and "b a b" x4 tie, the
        // first wins (5 chars). 4-grams "a b a b" x4. Duplicate 5-grams: at 0 "ababa" new, at 1
        // "babab" new, at 2 "ababa" seen: 5 chars, jump to 7, past the last start (5).
        doc(
            "a b a b a b a b a b",
            "gopher_quality: words=10 mean_word_length=1",
            "gopher_repetition: top_2gram_char_fraction=15/19 top_3gram_char_fraction=20/19"
                + " top_4gram_char_fraction=28/19 duplicate_5gram_char_fraction=5/19"
                + " duplicate_6gram_char_fraction=6/19 duplicate_10gram_char_fraction=0"),
        // Ten a's: the n-gram at 1 repeats the one at 0 for every n up to 9; 10 has one n-gram.
        doc(
            "a a a a a a a a a a",
            "gopher_repetition: top_2gram_char_fraction=27/19 duplicate_5gram_char_fraction=5/19"
                + " duplicate_7gram_char_fraction=7/19 duplicate_9gram_char_fraction=9/19"
                + " duplicate_10gram_char_fraction=0"),
        // 28 characters, 3 paragraphs, 2 repeats of 8; 9 tokens. 2-grams "Buy now" and "now ."
        // both x3, the first wins: 7 x 3. C4: 5 lines, 2 blank (no punctuation), 3 of 2 words.
        // FineWeb: 16 repeated characters of 24 that are not line breaks; 4 breaks / 9 tokens.
        doc(
            "Buy now.\n\nBuy now.\n\nBuy now.",
            "gopher_quality: words=6 alpha_words_ratio=6/9",
            "gopher_repetition: duplicate_paragraph_fraction=2/3",
            "gopher_repetition: duplicate_paragraph_char_fraction=16/28",
            "gopher_repetition: duplicate_line_fraction=2/3 duplicate_line_char_fraction=16/28",
            "gopher_repetition: top_2gram_char_fraction=21/28",
            "c4_quality: lines=5 lines_no_terminal_punctuation=2 lines_too_few_words=3",
            "fineweb_quality: lines=3 duplicate_line_char_ratio=16/24 newline_word_ratio=4/9"),
        // Split at runs of \n: "", "Hello world.", "" -- the second empty piece repeats the first.
        doc(
            "\nHello world.\n",
            "gopher_repetition: duplicate_paragraph_fraction=0 duplicate_line_fraction=1/3",
            "gopher_repetition: duplicate_line_char_fraction=0",
            "c4_quality: lines=2 lines_no_terminal_punctuation=1 lines_too_few_words=1",
            "fineweb_quality: lines=1 newline_word_ratio=2/3"),
        // Tokens: - milk - eggs • bread shopping list (8); words 4+4+5+8+4 = 25 over 5.
        doc(
            "- milk\n- eggs\n• bread\nshopping list",
            "gopher_quality: words=5 mean_word_length=5 bullet_lines_ratio=0.75",
            "gopher_quality: alpha_words_ratio=5/8",
            "c4_quality: lines_no_terminal_punctuation=4",
            "fineweb_quality: line_punctuation_ratio=0 newline_word_ratio=3/8"),
        // Tokens: Wait for it ... Still waiting … Done . (9); words 4+3+2+5+7+4 = 25 over 6.
        // C4 takes neither "..." nor "…" as an end; FineWeb takes "..." (it ends in "."), not "…".
        doc(
            "Wait for it...\nStill waiting…\nDone.",
            "gopher_quality: words=6 mean_word_length=25/6 ellipsis_ratio=2/9",
            "gopher_quality: ellipsis_lines_ratio=2/3",
            "c4_quality: lines_no_terminal_punctuation=2 lines_too_few_words=1",
            "fineweb_quality: line_punctuation_ratio=2/3"),
        // Tokens: # tag # tag2 ## done (6), four "#" characters; words 3+4+4 = 11 over 3.
        doc(
            "#tag #tag2 ## done",
            "gopher_quality: words=3 mean_word_length=11/3 hash_ratio=4/6 alpha_words_ratio=0.5",
            "gopher_repetition: top_2gram_char_fraction=0"),
        // 13 tokens, 10 words of 30 letters; stop words be, to, that, the ("To" does not count).
        doc(
            "To be, or not to be: that is the question.",
            "gopher_quality: words=10 mean_word_length=3 alpha_words_ratio=10/13 stop_words=4",
            "gopher_repetition: top_2gram_char_fraction=0",
            "c4_quality: lines_kept=1 sentences=1",
            "fineweb_quality: short_line_ratio=0"),
        // Lines of 36, 33, 26 and 30 characters; 25 words and 4 full stops.
        doc(
            "Enable JavaScript to view this page.\nWe use cookies to improve things.\n"
                + "See our terms of use here.\nThe rest of the story is here.",
            "gopher_quality: words=25 stop_words=3",
            "c4_quality: lines=4 lines_javascript=1 lines_policy=2 lines_kept=1 sentences=1",
            "fineweb_quality: short_line_ratio=0.5 newline_word_ratio=3/29"),
        doc(
            "Lorem ipsum dolor sit amet.",
            "c4_quality: lorem_ipsum_lines=1 lines_kept=1 curly_bracket_lines=0"),
        // The second line has a brace but no final punctuation, so it was removed before.
        doc(
            "Use {braces} with care.\nfunction f() { return 1; }",
            "c4_quality: lines_no_terminal_punctuation=1 curly_bracket_lines=1 lines_kept=1"),
        // Citations go before the end is read. Tokens: The war ended in 1945 .[ 12 ] It was long
        // .[ edit ] (14); words 10, of which 8 hold a letter.
        doc(
            "The war ended in 1945.[12] It was long.[edit]",
            "gopher_quality: words=10 alpha_words_ratio=8/14",
            "c4_quality: lines_kept=1 sentences=2"),
        // No abbreviations known: "Dr." ends a sentence too (Punkt would count 4).
        doc(
            "Dr. Watson came. He sat down! Did he stay? Yes.",
            "c4_quality: lines_kept=1 sentences=5"),
        // Words of 1001, 2 and 4 characters.
        doc(
            "x".repeat(1001) + " is long.",
            "gopher_quality: words=3 mean_word_length=1007/3",
            "c4_quality: lines_too_long_word=1 lines_kept=0",
            "fineweb_quality: short_line_ratio=0"),
        // A word of 6 ideographs and "。"; C4 knows only . ? ! " ' as ends, FineWeb knows "。".
        doc(
            "東京は大きい。\nParis est belle.",
            "gopher_quality: words=4 mean_word_length=19/4 alpha_words_ratio=4/6",
            "c4_quality: lines_no_terminal_punctuation=1 lines_kept=1",
            "fineweb_quality: line_punctuation_ratio=1"),
        // A no-break space separates words, as in Python's split().
        doc(
            "One\u00A0two three.",
            "gopher_quality: words=3",
            "c4_quality: lines_too_few_words=0 lines_kept=1"),
        // CRLF: Python's splitlines() cuts at \r\n, so C4 sees "here." ends; FineWeb splits at \n
        // only, its lines end in \r and none counts as punctuated (as in datatrove).
        doc(
            "First line here.\r\nSecond line here.\r\n",
            "c4_quality: lines=2 lines_kept=2 sentences=2",
            "fineweb_quality: lines=2 line_punctuation_ratio=0 newline_word_ratio=2/8",
            "gopher_repetition: duplicate_line_fraction=0"),
        doc(
            "",
            "gopher_quality: words=0 mean_word_length=0",
            "gopher_repetition: duplicate_line_fraction=0 duplicate_line_char_fraction=0",
            "c4_quality: lines=0 sentences=0",
            "fineweb_quality: lines=0"),
        // 29 characters, 5 lines, "Home" and "About" repeated: 9 characters; 25 without breaks.
        // 2-gram "Home About" (10 characters) twice.
        doc(
            "Home\nAbout\nHome\nAbout\nContact",
            "gopher_repetition: duplicate_paragraph_fraction=0 duplicate_line_fraction=0.4",
            "gopher_repetition: duplicate_line_char_fraction=9/29 top_2gram_char_fraction=20/29",
            "fineweb_quality: duplicate_line_char_ratio=9/25 newline_word_ratio=4/5",
            "c4_quality: lines_no_terminal_punctuation=5"),
        // 12 words, 2 with letters; 9 one-digit numbers, "10", "and", "more": 18 over 12.
        doc(
            "1 2 3 4 5 6 7 8 9 10 and more",
            "gopher_quality: words=12 mean_word_length=1.5 alpha_words_ratio=2/12 stop_words=1"),
        // Bullets after leading spaces count, "*" does not; "-three" is "-" and "three".
        doc(
            "  - one item\n  * two item\n-three",
            "gopher_quality: bullet_lines_ratio=2/3 words=5 mean_word_length=19/5"),
        // Length 11. "x y" and "y z" both twice, "x y" first: 3 x 2. "x y z" twice: 5 x 2.
        // No 4-gram repeats; the two 5-grams differ.
        doc(
            "x y z x y z",
            "gopher_repetition: top_2gram_char_fraction=6/11 top_3gram_char_fraction=10/11"
                + " top_4gram_char_fraction=0 duplicate_5gram_char_fraction=0"),
        // An ellipsis inside a line counts per token, not as a line end; it ends a sentence.
        doc(
            "He paused... then spoke.",
            "gopher_quality: ellipsis_ratio=1/6 ellipsis_lines_ratio=0",
            "c4_quality: sentences=2"),
        // Five dots: one "..." (non-overlapping, as Python's count), one symbol token, no word.
        doc(
            ".....",
            "gopher_quality: words=0 ellipsis_ratio=1 ellipsis_lines_ratio=1 alpha_words_ratio=0"),
        // Lines of exactly 30 (short) and 31 characters (not short).
        doc(
            "abcdefghij abcdefghij abcdefg.\nabcdefghij abcdefghij abcdefgh.",
            "fineweb_quality: short_line_ratio=0.5 line_punctuation_ratio=1"),
        // "\n \n" is no paragraph break; lines "Same.", " ", "Same.": one repeat of 5 in 13.
        doc(
            "Same.\n \nSame.",
            "gopher_repetition: duplicate_paragraph_fraction=0 duplicate_line_fraction=1/3",
            "gopher_repetition: duplicate_line_char_fraction=5/13",
            "fineweb_quality: lines=2 duplicate_line_char_ratio=5/11",
            "c4_quality: lines_too_few_words=2 lines_no_terminal_punctuation=1"),
        // Tokens: Don't stop-believin ' now . (5); words 5 + 13 + 3 = 21 over 3.
        doc(
            "Don't stop-believin' now.",
            "gopher_quality: words=3 mean_word_length=7 alpha_words_ratio=3/5"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("cases")
  void signalsAreAsCountedByHand(Case c) {
    FilterDocument document = FilterDocument.ofText(c.text());
    List<DocumentFilter> filters =
        List.of(
            new GopherQualityFilter(GopherQualityFilter.Settings.DEFAULTS),
            new GopherRepetitionFilter(GopherRepetitionFilter.Settings.DEFAULTS),
            new FineWebQualityFilter(FineWebQualityFilter.Settings.DEFAULTS),
            new C4QualityFilter(C4QualityFilter.Settings.DEFAULTS)); // last: it rewrites the text
    filters.forEach(filter -> filter.apply(document));

    c.signals()
        .forEach(
            (signal, expected) ->
                assertThat(document.signals().get(signal))
                    .as(signal)
                    .isNotNull()
                    .isCloseTo(expected, within(1e-12)));
  }

  /**
   * A case: its text, then groups of expected signals, each {@code "<filter>: <signal>=<value>
   * ..."}, a value being a number or a fraction {@code p/q}.
   */
  private static Case doc(String text, String... expectations) {
    Map<String, Double> signals = new LinkedHashMap<>();
    for (String expectation : expectations) {
      String[] filterAndSignals = expectation.split(": ", 2);
      for (String signal : filterAndSignals[1].split(" ")) {
        String[] nameAndValue = signal.split("=");
        String[] fraction = nameAndValue[1].split("/");
        double value =
            fraction.length == 1
                ? Double.parseDouble(fraction[0])
                : Double.parseDouble(fraction[0]) / Double.parseDouble(fraction[1]);
        signals.put(filterAndSignals[0] + "." + nameAndValue[0], value);
      }
    }
    return new Case(text, signals);
  }
}
