package org.millrace.processors.filter;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Gopher's quality rules (Rae et al. 2021, "Scaling Language Models: Methods, Analysis &amp;
 * Insights from Training Gopher", appendix A.1.1), as datatrove's {@code GopherQualityFilter}
 * implements them: a document must have a plausible number of words of plausible length, few hashes
 * and ellipses, not be mostly a bullet list, be mostly words with letters in them, and use a few of
 * the commonest English words.
 *
 * <p>Words are the tokens of {@link TextWords}. As in datatrove, the word count and the mean word
 * length leave the symbol tokens out, while the symbol ratios and the alphabetic-word ratio divide
 * by all tokens, symbols included; the stop words match case-sensitively ({@code The} is not {@code
 * the}).
 */
public record GopherQualityFilter(Settings settings) implements DocumentFilter {

  /**
   * Gopher's thresholds. A rule is switched off by a threshold no document crosses (0 words, a
   * ratio limit of 1, no stop words).
   *
   * @param minWords fewest words (symbols not counted)
   * @param maxWords most words
   * @param minMeanWordLength shortest mean word length, in characters
   * @param maxMeanWordLength longest mean word length
   * @param maxSymbolWordRatio most {@code #}, and most {@code ...} or {@code …}, per token
   * @param maxBulletLinesRatio largest share of lines that start with {@code •} or {@code -}
   * @param maxEllipsisLinesRatio largest share of lines that end with {@code ...} or {@code …}
   * @param minAlphaWordsRatio smallest share of tokens that hold a letter
   * @param minStopWords fewest distinct stop words the text must use
   * @param stopWords the stop words
   */
  public record Settings(
      int minWords,
      int maxWords,
      double minMeanWordLength,
      double maxMeanWordLength,
      double maxSymbolWordRatio,
      double maxBulletLinesRatio,
      double maxEllipsisLinesRatio,
      double minAlphaWordsRatio,
      int minStopWords,
      Set<String> stopWords) {

    /**
     * The published values: Rae et al. 2021, appendix A.1.1, and the defaults of datatrove's {@code
     * GopherQualityFilter} (src/datatrove/pipeline/filters/gopher_quality_filter.py).
     */
    public static final Settings DEFAULTS =
        new Settings(
            50,
            100_000,
            3,
            10,
            0.1,
            0.9,
            0.3,
            0.8,
            2,
            Set.of("the", "be", "to", "of", "and", "that", "have", "with"));

    public Settings {
      stopWords = Set.copyOf(stopWords);
    }
  }

  @Override
  public String name() {
    return "gopher_quality";
  }

  @Override
  public FilterVerdict apply(FilterDocument document) {
    String text = document.text();
    TextWords tokens = TextWords.of(text);
    int words = 0;
    long wordCharacters = 0;
    int alphaTokens = 0;
    Set<String> stopWordsUsed = new HashSet<>();
    for (int i = 0; i < tokens.count(); i++) {
      if (tokens.isWord(i)) {
        words++;
        wordCharacters += tokens.length(i);
      }
      if (tokens.hasLetter(i)) {
        alphaTokens++;
      }
      String token = tokens.get(i);
      if (settings.stopWords().contains(token)) {
        stopWordsUsed.add(token);
      }
    }
    double meanWordLength = words == 0 ? 0 : (double) wordCharacters / words;
    double hashRatio = ratio(count(text, "#"), tokens.count());
    double ellipsisRatio = ratio(count(text, "...") + count(text, "…"), tokens.count());
    List<String> lines = TextLines.splitLines(text);
    int bulletLines = 0;
    int ellipsisLines = 0;
    for (String line : lines) {
      String start = TextLines.stripLeading(line);
      if (start.startsWith("•") || start.startsWith("-")) {
        bulletLines++;
      }
      String end = TextLines.stripTrailing(line);
      if (end.endsWith("...") || end.endsWith("…")) {
        ellipsisLines++;
      }
    }
    double bulletLinesRatio = ratio(bulletLines, lines.size());
    double ellipsisLinesRatio = ratio(ellipsisLines, lines.size());
    double alphaWordsRatio = ratio(alphaTokens, tokens.count());
    int stopWords = stopWordsUsed.size();

    document.signal(name(), "words", words);
    document.signal(name(), "mean_word_length", meanWordLength);
    document.signal(name(), "hash_ratio", hashRatio);
    document.signal(name(), "ellipsis_ratio", ellipsisRatio);
    document.signal(name(), "bullet_lines_ratio", bulletLinesRatio);
    document.signal(name(), "ellipsis_lines_ratio", ellipsisLinesRatio);
    document.signal(name(), "alpha_words_ratio", alphaWordsRatio);
    document.signal(name(), "stop_words", stopWords);

    if (words < settings.minWords()) {
      return FilterVerdict.drop(
          "gopher_too_few_words",
          words,
          settings.minWords(),
          "%d words, fewer than %d.".formatted(words, settings.minWords()));
    }
    if (words > settings.maxWords()) {
      return FilterVerdict.drop(
          "gopher_too_many_words",
          words,
          settings.maxWords(),
          "%d words, more than %d.".formatted(words, settings.maxWords()));
    }
    if (meanWordLength < settings.minMeanWordLength()) {
      return FilterVerdict.drop(
          "gopher_words_too_short",
          meanWordLength,
          settings.minMeanWordLength(),
          "Mean word length %.3f characters, below %s."
              .formatted(meanWordLength, settings.minMeanWordLength()));
    }
    if (meanWordLength > settings.maxMeanWordLength()) {
      return FilterVerdict.drop(
          "gopher_words_too_long",
          meanWordLength,
          settings.maxMeanWordLength(),
          "Mean word length %.3f characters, above %s."
              .formatted(meanWordLength, settings.maxMeanWordLength()));
    }
    if (hashRatio > settings.maxSymbolWordRatio()) {
      return FilterVerdict.drop(
          "gopher_too_many_hashes",
          hashRatio,
          settings.maxSymbolWordRatio(),
          "%.3f '#' per token, above %s.".formatted(hashRatio, settings.maxSymbolWordRatio()));
    }
    if (ellipsisRatio > settings.maxSymbolWordRatio()) {
      return FilterVerdict.drop(
          "gopher_too_many_ellipses",
          ellipsisRatio,
          settings.maxSymbolWordRatio(),
          "%.3f ellipses per token, above %s."
              .formatted(ellipsisRatio, settings.maxSymbolWordRatio()));
    }
    if (bulletLinesRatio > settings.maxBulletLinesRatio()) {
      return FilterVerdict.drop(
          "gopher_too_many_bullet_lines",
          bulletLinesRatio,
          settings.maxBulletLinesRatio(),
          "%d of %d lines start with a bullet (%.3f), above %s."
              .formatted(
                  bulletLines, lines.size(), bulletLinesRatio, settings.maxBulletLinesRatio()));
    }
    if (ellipsisLinesRatio > settings.maxEllipsisLinesRatio()) {
      return FilterVerdict.drop(
          "gopher_too_many_ellipsis_lines",
          ellipsisLinesRatio,
          settings.maxEllipsisLinesRatio(),
          "%d of %d lines end with an ellipsis (%.3f), above %s."
              .formatted(
                  ellipsisLines,
                  lines.size(),
                  ellipsisLinesRatio,
                  settings.maxEllipsisLinesRatio()));
    }
    if (alphaWordsRatio < settings.minAlphaWordsRatio()) {
      return FilterVerdict.drop(
          "gopher_too_few_alpha_words",
          alphaWordsRatio,
          settings.minAlphaWordsRatio(),
          "%d of %d tokens hold a letter (%.3f), below %s."
              .formatted(
                  alphaTokens, tokens.count(), alphaWordsRatio, settings.minAlphaWordsRatio()));
    }
    if (stopWords < settings.minStopWords()) {
      return FilterVerdict.drop(
          "gopher_too_few_stop_words",
          stopWords,
          settings.minStopWords(),
          "%d distinct stop words %s, fewer than %d."
              .formatted(stopWords, new TreeSet<>(stopWordsUsed), settings.minStopWords()));
    }
    return FilterVerdict.keep();
  }

  /** Non-overlapping occurrences, as Python's {@code str.count}. */
  private static int count(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }

  private static double ratio(int part, int whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }
}
