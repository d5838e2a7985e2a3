package org.millrace.processors.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.millrace.processors.filter.Verdicts.assertDropped;
import static org.millrace.processors.filter.Verdicts.assertKept;

import org.junit.jupiter.api.Test;

class C4QualityFilterTest {

  /** Five lines of one sentence each: enough for C4's five sentences, and kept by every rule. */
  private static final String FIVE_SENTENCES =
      """
      The river rose in the night.
      By morning the mill was dry.
      The miller had moved the grain upstairs.
      Nobody lost a single sack.
      The village thanked him for it.\
      """;

  private final C4QualityFilter filter = new C4QualityFilter(C4QualityFilter.Settings.DEFAULTS);

  @Test
  void fiveSentencesAreEnoughAndFourAreNot() {
    FilterDocument inside =
        FilterDocument.ofText("One two three. Four five six! Seven eight nine? Ten a b. C d e.");
    FilterDocument outside =
        FilterDocument.ofText("One two three. Four five six! Seven eight nine? Ten a b.");

    assertKept(filter.apply(inside));
    FilterVerdict.Drop drop = assertDropped(filter.apply(outside), "c4_too_few_sentences");
    assertThat(drop.value()).isEqualTo(4);
    assertThat(drop.threshold()).isEqualTo(5);
  }

  @Test
  void keepsOnlyLinesEndingInTerminalPunctuationAndRewritesTheText() {
    FilterDocument document =
        FilterDocument.ofText(
            "Menu Home About\n"
                + FIVE_SENTENCES
                + "\n  She said \"it is done.\"  \nAnd so on and so on...\nIt's 'fine'\n");

    assertKept(filter.apply(document));
    assertThat(document.text()).isEqualTo(FIVE_SENTENCES + "\nShe said \"it is done.\"");
    assertThat(document.signals())
        .containsEntry("c4_quality.lines", 9.0)
        .containsEntry("c4_quality.lines_no_terminal_punctuation", 2.0)
        // "It's 'fine'" ends in a quote, which C4 counts as terminal, but has two words.
        .containsEntry("c4_quality.lines_too_few_words", 1.0)
        .containsEntry("c4_quality.lines_kept", 6.0)
        .containsEntry("c4_quality.sentences", 6.0);
  }

  @Test
  void aKeptLineHasAtLeastThreeWords() {
    FilterDocument document =
        FilterDocument.ofText(FIVE_SENTENCES + "\nTwo words.\nThree words here.");

    assertKept(filter.apply(document));
    assertThat(document.text()).endsWith("thanked him for it.\nThree words here.");
    assertThat(document.signals()).containsEntry("c4_quality.lines_too_few_words", 1.0);
  }

  @Test
  void aKeptLineHasNoWordOverAThousandCharacters() {
    String longest = "See " + "x".repeat(1000) + " here.";
    String tooLong = "See " + "y".repeat(1001) + " here.";
    FilterDocument document =
        FilterDocument.ofText(FIVE_SENTENCES + "\n" + longest + "\n" + tooLong);

    assertKept(filter.apply(document));
    assertThat(document.text()).endsWith("\n" + longest);
    assertThat(document.signals()).containsEntry("c4_quality.lines_too_long_word", 1.0);
  }

  @Test
  void linesAboutJavascriptAndCookiesAreRemoved() {
    FilterDocument document =
        FilterDocument.ofText(
            "Please enable JavaScript to continue.\n"
                + FIVE_SENTENCES
                + "\nThis website uses cookies for analytics.\nRead our Privacy Policy today.");

    assertKept(filter.apply(document));
    assertThat(document.text()).isEqualTo(FIVE_SENTENCES);
    assertThat(document.signals())
        .containsEntry("c4_quality.lines_javascript", 1.0)
        .containsEntry("c4_quality.lines_policy", 2.0);
  }

  @Test
  void citationMarksAreCutOutBeforeThePunctuationIsRead() {
    FilterDocument document =
        FilterDocument.ofText(FIVE_SENTENCES + "\nThe war ended in 1945.[12]\nIt was long.[edit]");

    assertKept(filter.apply(document));
    assertThat(document.text()).endsWith("for it.\nThe war ended in 1945.\nIt was long.");
  }

  @Test
  void loremIpsumInAKeptLineDropsTheWholeDocumentAndKeepsItsText() {
    String text = FIVE_SENTENCES + "\nLorem ipsum dolor sit amet.";
    FilterDocument document = FilterDocument.ofText(text);

    assertDropped(filter.apply(document), "c4_lorem_ipsum");
    assertThat(document.text()).isEqualTo(text);
  }

  @Test
  void loremIpsumInALineAlreadyRemovedDoesNotCount() {
    FilterDocument document =
        FilterDocument.ofText(FIVE_SENTENCES + "\nLorem ipsum dolor sit amet");

    assertKept(filter.apply(document));
    assertThat(document.signals()).containsEntry("c4_quality.lorem_ipsum_lines", 0.0);
  }

  @Test
  void aCurlyBracketInAKeptLineDropsTheDocumentButNotInAJavascriptLine() {
    assertDropped(
        filter.apply(FilterDocument.ofText(FIVE_SENTENCES + "\nThen call f() { return 1; }.")),
        "c4_curly_bracket");

    assertKept(
        filter.apply(FilterDocument.ofText(FIVE_SENTENCES + "\nIn JavaScript write { a: 1 }.")));
  }

  @Test
  void loremIpsumIsCheckedBeforeTheCurlyBracket() {
    FilterDocument document = FilterDocument.ofText("A {brace} here.\nLorem ipsum dolor sit amet.");

    FilterVerdict.Drop drop = assertDropped(filter.apply(document), "c4_lorem_ipsum");
    assertThat(drop.value()).isEqualTo(1);
    assertThat(document.signals()).containsEntry("c4_quality.curly_bracket_lines", 1.0);
  }

  @Test
  void eachRuleCanBeSwitchedOff() {
    C4QualityFilter nothing =
        new C4QualityFilter(
            new C4QualityFilter.Settings(false, false, 0, 0, 0, false, false, false, false));
    String text = "menu\nLorem ipsum {x} javascript uses cookies[1]\n" + "z".repeat(2000);
    FilterDocument document = FilterDocument.ofText(text);

    assertKept(nothing.apply(document));
    assertThat(document.text()).isEqualTo(text);
  }

  @Test
  void fineWebsSettingsKeepLinesWithoutPunctuation() {
    C4QualityFilter fineWebs =
        new C4QualityFilter(
            new C4QualityFilter.Settings(true, false, 5, 3, 1000, true, true, true, true));
    FilterDocument document = FilterDocument.ofText(FIVE_SENTENCES + "\nRead more below");

    assertKept(fineWebs.apply(document));
    assertThat(document.text()).endsWith("for it.\nRead more below");
    assertThat(document.signals()).containsEntry("c4_quality.sentences", 6.0);
  }

  @Test
  void everySignalIsRecorded() {
    FilterDocument document = FilterDocument.ofText("");

    assertDropped(filter.apply(document), "c4_too_few_sentences");
    assertThat(document.signals())
        .containsOnlyKeys(
            "c4_quality.lines",
            "c4_quality.lines_too_long_word",
            "c4_quality.lines_no_terminal_punctuation",
            "c4_quality.lines_too_few_words",
            "c4_quality.lines_javascript",
            "c4_quality.lines_policy",
            "c4_quality.lines_kept",
            "c4_quality.lorem_ipsum_lines",
            "c4_quality.curly_bracket_lines",
            "c4_quality.sentences");
  }
}
