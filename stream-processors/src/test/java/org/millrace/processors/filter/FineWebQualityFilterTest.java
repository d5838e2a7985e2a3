package org.millrace.processors.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.millrace.processors.filter.Verdicts.assertDropped;
import static org.millrace.processors.filter.Verdicts.assertKept;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each rule at its published threshold, just inside and just outside. Lines are numbered so that
 * none repeats, longer than 30 characters unless the test is about short lines, and of enough words
 * that line breaks stay well under 0.3 per word.
 */
class FineWebQualityFilterTest {

  private final FineWebQualityFilter filter =
      new FineWebQualityFilter(FineWebQualityFilter.Settings.DEFAULTS);

  @Test
  void twelvePercentOfLinesMustEndInPunctuation() {
    // 3 of 25 lines end in a full stop: 0.12; then 2 of 25.
    String inside = String.join("\n", lines(25, 3, ".", 40));
    String outside = String.join("\n", lines(25, 2, ".", 40));

    assertKept(apply(inside));
    FilterVerdict.Drop drop = assertDropped(apply(outside), "fineweb_few_punctuated_lines");
    assertThat(drop.value()).isEqualTo(0.08);
  }

  @Test
  void anyScriptsSentenceTerminalCountsButNotATrailingSpace() {
    // 3 of 25 lines end in "。", "।" or "!"; a full stop followed by a space does not count.
    List<String> lines = lines(25, 0, ".", 40);
    lines.set(0, lines.get(0) + "。");
    lines.set(1, lines.get(1) + "।");
    lines.set(2, lines.get(2) + "!");
    lines.set(3, lines.get(3) + ". ");

    FilterDocument document = FilterDocument.ofText(String.join("\n", lines));
    assertKept(filter.apply(document));
    assertThat(document.signals()).containsEntry("fineweb_quality.line_punctuation_ratio", 0.12);
  }

  @Test
  void twoThirdsOfLinesMayBeShort() {
    // 67 of 100 lines of 30 characters (short), 33 of 31; then 68 and 32.
    List<String> inside = lines(67, 67, ".", 30);
    inside.addAll(lines(33, 33, "!", 31));
    List<String> outside = lines(68, 68, ".", 30);
    outside.addAll(lines(32, 32, "!", 31));

    assertKept(apply(String.join("\n", inside)));
    FilterVerdict.Drop drop =
        assertDropped(apply(String.join("\n", outside)), "fineweb_too_many_short_lines");
    assertThat(drop.value()).isEqualTo(0.68);
  }

  @Test
  void repeatedLinesMayHoldATenthOfTheCharacters() {
    // "Twice said." (11) twice around a line of 88: 11 of 110 characters, line breaks not
    // counted; then around a line of 87.
    String inside = "Twice said.\n" + sentence(88) + "\nTwice said.";
    String outside = "Twice said.\n" + sentence(87) + "\nTwice said.";

    assertKept(apply(inside));
    FilterVerdict.Drop drop = assertDropped(apply(outside), "fineweb_duplicate_line_chars");
    assertThat(drop.value()).isEqualTo(11.0 / 109);
  }

  @Test
  void threeLineBreaksPerTenWordsAreTheMost() {
    // tokens: 3 + 3 + 2 + 2 = 10 ("." is a token); 3 line breaks, then 4 with a trailing one.
    String text =
        "Extraordinarily unremarkable.\n"
            + "Incomprehensibly straightforward.\n"
            + "Pneumonoultramicroscopicsilicovolcanoconiosis.\n"
            + "Antidisestablishmentarianism.";

    assertKept(apply(text));
    FilterVerdict.Drop drop = assertDropped(apply(text + "\n"), "fineweb_too_many_newlines");
    assertThat(drop.value()).isEqualTo(0.4);
  }

  @Test
  void aDocumentOfBlankLinesIsEmpty() {
    FilterDocument document = FilterDocument.ofText(" \n\t\n\n");

    assertDropped(filter.apply(document), "fineweb_empty");
    assertThat(document.signals())
        .containsOnlyKeys(
            "fineweb_quality.lines",
            "fineweb_quality.line_punctuation_ratio",
            "fineweb_quality.short_line_ratio",
            "fineweb_quality.duplicate_line_char_ratio",
            "fineweb_quality.newline_word_ratio");
  }

  /**
   * {@code count} distinct lines of exactly {@code length} characters, of which the first {@code
   * punctuated} end in {@code mark}; the others end in a letter.
   */
  private static List<String> lines(int count, int punctuated, String mark, int length) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String start = "line %03d of %s the list".formatted(i, mark.equals(".") ? "a" : "b");
      String end = i < punctuated ? mark : "";
      String line = start + " " + "z".repeat(length - start.length() - 1 - end.length()) + end;
      assertThat(line).hasSize(length);
      lines.add(line);
    }
    return lines;
  }

  /** A line of words ending in a full stop, exactly {@code length} characters long. */
  private static String sentence(int length) {
    String words = "one two three four five six seven eight nine ten ".repeat(3);
    return words.substring(0, length - 1) + ".";
  }

  private FilterVerdict apply(String text) {
    return filter.apply(FilterDocument.ofText(text));
  }
}
