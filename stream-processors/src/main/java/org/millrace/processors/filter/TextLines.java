package org.millrace.processors.filter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The ways the quality filters cut a text into lines and paragraphs. Each filter of datatrove cuts
 * its own way (Python's {@code str.splitlines}, {@code split("\n")}, {@code re.split("\n+")}), and
 * the thresholds were tuned on those cuts, so each is kept here under its own name.
 */
final class TextLines {

  private static final Pattern NEWLINE_RUNS = Pattern.compile("\n+");
  private static final Pattern PARAGRAPH_BREAKS = Pattern.compile("\n{2,}");

  private TextLines() {}

  /**
   * The lines as Python's {@code str.splitlines()} cuts them: at {@code \n}, {@code \r}, {@code
   * \r\n} and the rarer breaks ({@code \v \f \x1c \x1d \x1e \x85 \u2028 \u2029}); a break at the
   * very end makes no empty last line, and an empty text has no lines.
   */
  static List<String> splitLines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (isLineBreak(c)) {
        lines.add(text.substring(start, i));
        if (c == '\r' && i + 1 < length && text.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    if (start < length) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  /** The pieces between {@code \n}s, empty ones included, as Python's {@code split("\n")}. */
  static List<String> splitAtNewlines(String text) {
    return Arrays.asList(text.split("\n", -1));
  }

  /** The pieces between runs of {@code \n}, as Python's {@code re.split("\n+", text)}. */
  static List<String> splitAtNewlineRuns(String text) {
    return Arrays.asList(NEWLINE_RUNS.split(text, -1));
  }

  /** The paragraphs of the stripped text: the pieces between two or more {@code \n}s in a row. */
  static List<String> paragraphs(String text) {
    return Arrays.asList(PARAGRAPH_BREAKS.split(strip(text), -1));
  }

  /** The text without leading and trailing whitespace, as Python's {@code str.strip()}. */
  static String strip(String text) {
    return stripTrailing(stripLeading(text));
  }

  static String stripLeading(String text) {
    int start = 0;
    while (start < text.length()) {
      int codePoint = text.codePointAt(start);
      if (!TextWords.isSpace(codePoint)) {
        break;
      }
      start += Character.charCount(codePoint);
    }
    return text.substring(start);
  }

  static String stripTrailing(String text) {
    int end = text.length();
    while (end > 0) {
      int codePoint = text.codePointBefore(end);
      if (!TextWords.isSpace(codePoint)) {
        break;
      }
      end -= Character.charCount(codePoint);
    }
    return text.substring(0, end);
  }

  /** Whether the text is empty or only whitespace. */
  static boolean isBlank(String text) {
    return strip(text).isEmpty();
  }

  /** The length in code points, as Python's {@code len} counts a string. */
  static int length(String text) {
    return text.codePointCount(0, text.length());
  }

  private static boolean isLineBreak(char c) {
    return switch (c) {
      case '\n',
          '\r',
          '\u000B',
          '\u000C',
          '\u001C',
          '\u001D',
          '\u001E',
          '\u0085',
          '\u2028',
          '\u2029' ->
          true;
      default -> false;
    };
  }
}
