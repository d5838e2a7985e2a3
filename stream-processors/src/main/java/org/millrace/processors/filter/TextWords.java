package org.millrace.processors.filter;

import java.util.Arrays;

/**
 * The words of a text as the quality filters count them. datatrove splits words with NLTK's (or
 * spaCy's) tokenizer, which makes each punctuation mark a token of its own; this is a simpler split
 * in the same spirit, the same for every script, and linear in the text:
 *
 * <ul>
 *   <li>whitespace separates tokens ({@link #isSpace}, which counts no-break spaces as Python's
 *       {@code str.isspace} does);
 *   <li>a <em>word</em> is a maximal run of letters, digits and combining marks of any script; an
 *       apostrophe, hyphen or period between two of them stays inside it ({@code don't}, {@code
 *       e-mail}, {@code 3.14}), and so does a comma between two digits ({@code 1,000});
 *   <li>any other run of non-space characters is one <em>symbol</em> token ({@code ,} {@code ...}
 *       {@code #} {@code —} {@code ?!}).
 * </ul>
 *
 * <p>Where NLTK differs: it splits {@code don't} into {@code do n't}, and {@code ?!} or {@code .)}
 * into one token per mark; it treats {@code €} or an emoji as a word, here they are symbols.
 */
public final class TextWords {

  private final String text;
  private final int[] starts;
  private final int[] ends;
  private final int count;

  private TextWords(String text, int[] starts, int[] ends, int count) {
    this.text = text;
    this.starts = starts;
    this.ends = ends;
    this.count = count;
  }

  /** Splits a text into its tokens, words and symbols, in order. */
  public static TextWords of(String text) {
    int[] starts = new int[16];
    int[] ends = new int[16];
    int count = 0;
    int length = text.length();
    int i = 0;
    while (i < length) {
      int codePoint = text.codePointAt(i);
      if (isSpace(codePoint)) {
        i += Character.charCount(codePoint);
        continue;
      }
      int start = i;
      i = isWordCharacter(codePoint) ? endOfWord(text, i) : endOfSymbols(text, i);
      if (count == starts.length) {
        starts = Arrays.copyOf(starts, count * 2);
        ends = Arrays.copyOf(ends, count * 2);
      }
      starts[count] = start;
      ends[count] = i;
      count++;
    }
    return new TextWords(text, starts, ends, count);
  }

  /** How many tokens, words and symbols together. */
  public int count() {
    return count;
  }

  /** The token at {@code index}. */
  public String get(int index) {
    return text.substring(starts[index], ends[index]);
  }

  /** The token's length in code points, as Python's {@code len} counts a string. */
  public int length(int index) {
    return text.codePointCount(starts[index], ends[index]);
  }

  /** Whether the token is a word (letters, digits, marks), not a run of symbols. */
  public boolean isWord(int index) {
    return isWordCharacter(text.codePointAt(starts[index]));
  }

  /** Whether the token holds at least one letter, as Gopher's "alphabetic word" asks. */
  public boolean hasLetter(int index) {
    for (int i = starts[index]; i < ends[index]; ) {
      int codePoint = text.codePointAt(i);
      if (Character.isLetter(codePoint)) {
        return true;
      }
      i += Character.charCount(codePoint);
    }
    return false;
  }

  /** Whitespace as Python's {@code str.isspace} sees it, no-break spaces included. */
  public static boolean isSpace(int codePoint) {
    return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
  }

  private static int endOfWord(String text, int i) {
    int length = text.length();
    int previous = text.codePointAt(i);
    i += Character.charCount(previous);
    while (i < length) {
      int codePoint = text.codePointAt(i);
      if (isWordCharacter(codePoint)) {
        previous = codePoint;
        i += Character.charCount(codePoint);
        continue;
      }
      int next = i + 1 < length ? text.codePointAt(i + 1) : -1;
      if (next == -1 || !isWordCharacter(next) || !joins(codePoint, previous, next)) {
        break;
      }
      previous = next;
      i += 1 + Character.charCount(next);
    }
    return i;
  }

  private static boolean joins(int joiner, int before, int after) {
    return switch (joiner) {
      case '\'', '\u2019', '-', '.' -> true;
      case ',' -> Character.isDigit(before) && Character.isDigit(after);
      default -> false;
    };
  }

  private static int endOfSymbols(String text, int i) {
    int length = text.length();
    while (i < length) {
      int codePoint = text.codePointAt(i);
      if (isSpace(codePoint) || isWordCharacter(codePoint)) {
        break;
      }
      i += Character.charCount(codePoint);
    }
    return i;
  }

  private static boolean isWordCharacter(int codePoint) {
    if (codePoint < 128) {
      return codePoint >= 'a' && codePoint <= 'z'
          || codePoint >= 'A' && codePoint <= 'Z'
          || codePoint >= '0' && codePoint <= '9';
    }
    int type = Character.getType(codePoint);
    return Character.isLetterOrDigit(codePoint)
        || type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }
}
