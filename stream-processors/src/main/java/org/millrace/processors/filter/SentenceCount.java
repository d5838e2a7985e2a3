package org.millrace.processors.filter;

/**
 * How many sentences a line holds, for C4's "at least 5 sentences". datatrove asks NLTK's Punkt
 * model; this is the plain rule Punkt starts from: a sentence ends at a run of {@code .}, {@code !}
 * or {@code ?}, perhaps followed by closing quotes or brackets, that is followed by whitespace or
 * the end of the line; a piece with no non-space character is not a sentence. Unlike Punkt it knows
 * no abbreviations, so {@code Dr. Watson} counts as two sentences, which only errs towards keeping
 * a document.
 */
final class SentenceCount {

  private SentenceCount() {}

  static int of(String line) {
    int sentences = 0;
    boolean pieceHasText = false;
    int length = line.length();
    int i = 0;
    while (i < length) {
      int codePoint = line.codePointAt(i);
      i += Character.charCount(codePoint);
      if (!isTerminal(codePoint)) {
        pieceHasText |= !TextWords.isSpace(codePoint);
        continue;
      }
      pieceHasText = true;
      while (i < length && (isTerminal(line.charAt(i)) || isClosing(line.charAt(i)))) {
        i++;
      }
      if (i == length || TextWords.isSpace(line.codePointAt(i))) {
        sentences++;
        pieceHasText = false;
      }
    }
    return pieceHasText ? sentences + 1 : sentences;
  }

  private static boolean isTerminal(int c) {
    return c == '.' || c == '!' || c == '?';
  }

  private static boolean isClosing(char c) {
    return switch (c) {
      case '"', '\'', ')', ']', '\u2019', '\u201D', '\u00BB' -> true;
      default -> false;
    };
  }
}
