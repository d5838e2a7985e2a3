package org.millrace.processors.clean;

import java.util.Locale;
import java.util.Set;

/**
 * A language's most frequent function words, and their density in a text: the share of its words
 * that are on the list. jusText's main signal (Pomikálek 2011, §3.2): prose has many, boilerplate
 * (menus, captions, legal lines) few.
 *
 * <p>Only English is built in: a short list of its most frequent function words (articles,
 * pronouns, prepositions, conjunctions, auxiliaries), shorter than jusText's. Pages in other
 * languages are judged on length instead, as jusText's language-independent mode does (see {@link
 * ParagraphClassifier}). Words are split at whitespace and lose the punctuation around them; the
 * apostrophe inside a word is kept ({@code don't}).
 */
final class StopWords {

  private static final StopWords ENGLISH =
      new StopWords(
          Set.of(
"""
a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing don't down during
each even every few for from further had has have having he her here hers herself him
himself his how however i if in into is it it's its itself just may me might more most
much must my myself no nor not now of off on once one only or other our ours ourselves
out over own same she should so some such than that the their theirs them themselves
then there these they this those through to too under until up upon us very was we were
what when where whether which while who whom whose why will with within without would
yet you your yours yourself yourselves
"""
                  .strip()
                  .split("\\s+")));

  private final Set<String> words;

  private StopWords(Set<String> words) {
    this.words = words;
  }

  static StopWords english() {
    return ENGLISH;
  }

  /** The number of words in {@code text} and how many of them are stop words. */
  Count count(String text) {
    int total = 0;
    int stop = 0;
    int length = text.length();
    int i = 0;
    while (i < length) {
      while (i < length && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < length && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        String word = trimPunctuation(text.substring(start, i));
        if (!word.isEmpty()) {
          total++;
          if (words.contains(word.toLowerCase(Locale.ROOT).replace('\u2019', '\''))) {
            stop++;
          }
        }
      }
    }
    return new Count(total, stop);
  }

  double density(String text) {
    return count(text).density();
  }

  private static String trimPunctuation(String word) {
    int start = 0;
    int end = word.length();
    while (start < end && !Character.isLetterOrDigit(word.charAt(start))) {
      start++;
    }
    while (end > start && !Character.isLetterOrDigit(word.charAt(end - 1))) {
      end--;
    }
    return word.substring(start, end);
  }

  /** Words and stop words in a text. */
  record Count(int words, int stopWords) {

    double density() {
      return words == 0 ? 0 : (double) stopWords / words;
    }
  }
}
