package org.millrace.processors.clean;

import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * Puts text in the one form every later stage expects: the commonest mojibake repaired (UTF-8 read
 * as Windows-1252, see {@link MojibakeRepair}), Unicode NFC (so that the same word is the same code
 * points, whatever produced it), line feeds only, no control characters, one space between words,
 * no blank space at line ends, and at most one empty line between paragraphs.
 *
 * <p>The repair comes first, while the C1 control characters that Latin-1 decoding makes of
 * Windows-1252 punctuation bytes are still there to be mapped back.
 *
 * <p>Source code ({@link #normalizeCode}) keeps its spaces: indentation is syntax in Python and
 * meaning everywhere else.
 */
public final class TextNormalizer {

  private static final Pattern LINE_BREAKS = Pattern.compile("\\r\\n?|[\\u0085\\u2028\\u2029]");

  /** C0 and C1 controls except tab and line feed, and the byte-order mark. */
  private static final Pattern CONTROLS =
      Pattern.compile("[\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F\\uFEFF]");

  private static final Pattern HORIZONTAL_SPACE =
      Pattern.compile("[\\t\\x20\\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000]+");
  private static final Pattern SPACE_AROUND_LINE_FEEDS = Pattern.compile(" *\\n *");
  private static final Pattern BLANK_LINES = Pattern.compile("\\n{3,}");
  private static final Pattern TRAILING_SPACE = Pattern.compile("[\\t\\x20]+\\n");

  public String normalize(String text) {
    String normalized = MojibakeRepair.repair(text);
    normalized = Normalizer.normalize(normalized, Normalizer.Form.NFC);
    normalized = LINE_BREAKS.matcher(normalized).replaceAll("\n");
    normalized = CONTROLS.matcher(normalized).replaceAll("");
    normalized = HORIZONTAL_SPACE.matcher(normalized).replaceAll(" ");
    normalized = SPACE_AROUND_LINE_FEEDS.matcher(normalized).replaceAll("\n");
    normalized = BLANK_LINES.matcher(normalized).replaceAll("\n\n");
    return normalized.strip();
  }

  /**
   * For source code: NFC, line feeds only, no control characters but tabs, no blank space at line
   * ends, no blank lines at either end; indentation and spacing inside lines as they were, and no
   * mojibake repair (a string literal may hold those characters on purpose).
   */
  public String normalizeCode(String text) {
    String normalized = Normalizer.normalize(text, Normalizer.Form.NFC);
    normalized = LINE_BREAKS.matcher(normalized).replaceAll("\n");
    normalized = CONTROLS.matcher(normalized).replaceAll("");
    normalized = TRAILING_SPACE.matcher(normalized + "\n").replaceAll("\n");
    int start = 0;
    while (start < normalized.length() && normalized.charAt(start) == '\n') {
      start++;
    }
    return normalized.substring(start).stripTrailing();
  }
}
