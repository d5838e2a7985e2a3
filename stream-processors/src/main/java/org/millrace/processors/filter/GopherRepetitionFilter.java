package org.millrace.processors.filter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gopher's repetition rules (Rae et al. 2021, "Scaling Language Models: Methods, Analysis &amp;
 * Insights from Training Gopher", appendix A.1.1 and table A1), as datatrove's {@code
 * GopherRepetitionFilter} implements them: pages that repeat paragraphs, lines or word n-grams
 * (menus, boilerplate, generated spam) are dropped.
 *
 * <p>Paragraphs are the pieces of the stripped text between two or more {@code \n}s; lines the
 * pieces between runs of {@code \n}. Every character fraction divides by the whole text's length in
 * code points. n-grams are of {@link TextWords} tokens, symbols included, as datatrove's are of
 * NLTK tokens. Counting is linear in the text ({@link WordNgrams}), so megabyte documents are fine.
 */
public record GopherRepetitionFilter(Settings settings) implements DocumentFilter {

  /**
   * Gopher's thresholds. A paragraph or line rule is switched off by a limit of 1; an n-gram rule
   * by leaving its n out of the map (a frequent n-gram's overlapping occurrences can add up to more
   * characters than the text has, so no fraction limit switches it off).
   *
   * @param maxDuplicateParagraphFraction largest share of paragraphs that repeat an earlier one
   * @param maxDuplicateParagraphCharFraction largest share of the text in repeated paragraphs
   * @param maxDuplicateLineFraction largest share of lines that repeat an earlier one
   * @param maxDuplicateLineCharFraction largest share of the text in repeated lines
   * @param maxTopNgramCharFractions by n, the largest share of the text the most frequent n-gram
   *     may cover
   * @param maxDuplicateNgramCharFractions by n, the largest share of the text in repeated n-grams
   */
  public record Settings(
      double maxDuplicateParagraphFraction,
      double maxDuplicateParagraphCharFraction,
      double maxDuplicateLineFraction,
      double maxDuplicateLineCharFraction,
      Map<Integer, Double> maxTopNgramCharFractions,
      Map<Integer, Double> maxDuplicateNgramCharFractions) {

    /**
     * The published values: Rae et al. 2021, table A1, and the defaults of datatrove's {@code
     * GopherRepetitionFilter} (src/datatrove/pipeline/filters/gopher_repetition_filter.py).
     */
    public static final Settings DEFAULTS =
        new Settings(
            0.30,
            0.20,
            0.30,
            0.20,
            Map.of(2, 0.20, 3, 0.18, 4, 0.16),
            Map.of(5, 0.15, 6, 0.14, 7, 0.13, 8, 0.12, 9, 0.11, 10, 0.10));

    /** Keeps the n-gram limits in order of n, so the rules are checked smallest n first. */
    public Settings {
      maxTopNgramCharFractions =
          Collections.unmodifiableSortedMap(new TreeMap<>(maxTopNgramCharFractions));
      maxDuplicateNgramCharFractions =
          Collections.unmodifiableSortedMap(new TreeMap<>(maxDuplicateNgramCharFractions));
    }
  }

  @Override
  public String name() {
    return "gopher_repetition";
  }

  @Override
  public FilterVerdict apply(FilterDocument document) {
    String text = document.text();
    int textLength = TextLines.length(text);
    List<String> paragraphs = TextLines.paragraphs(text);
    RepeatedElements repeatedParagraphs = RepeatedElements.of(paragraphs);
    List<String> lines = TextLines.splitAtNewlineRuns(text);
    RepeatedElements repeatedLines = RepeatedElements.of(lines);
    WordNgrams ngrams = new WordNgrams(TextWords.of(text));

    double paragraphFraction = ratio(repeatedParagraphs.count(), paragraphs.size());
    double paragraphCharFraction = ratio(repeatedParagraphs.chars(), textLength);
    double lineFraction = ratio(repeatedLines.count(), lines.size());
    double lineCharFraction = ratio(repeatedLines.chars(), textLength);
    Map<Integer, Double> topFractions = new LinkedHashMap<>();
    settings
        .maxTopNgramCharFractions()
        .keySet()
        .forEach(n -> topFractions.put(n, ratio(ngrams.topNgramCharacters(n), textLength)));
    Map<Integer, Double> duplicateFractions = new LinkedHashMap<>();
    settings
        .maxDuplicateNgramCharFractions()
        .keySet()
        .forEach(
            n -> duplicateFractions.put(n, ratio(ngrams.duplicateNgramCharacters(n), textLength)));

    document.signal(name(), "duplicate_paragraph_fraction", paragraphFraction);
    document.signal(name(), "duplicate_paragraph_char_fraction", paragraphCharFraction);
    document.signal(name(), "duplicate_line_fraction", lineFraction);
    document.signal(name(), "duplicate_line_char_fraction", lineCharFraction);
    topFractions.forEach((n, f) -> document.signal(name(), "top_" + n + "gram_char_fraction", f));
    duplicateFractions.forEach(
        (n, f) -> document.signal(name(), "duplicate_" + n + "gram_char_fraction", f));

    if (paragraphFraction > settings.maxDuplicateParagraphFraction()) {
      return FilterVerdict.drop(
          "gopher_duplicate_paragraphs",
          paragraphFraction,
          settings.maxDuplicateParagraphFraction(),
          "%d of %d paragraphs repeat an earlier one (%.3f), above %s."
              .formatted(
                  repeatedParagraphs.count(),
                  paragraphs.size(),
                  paragraphFraction,
                  settings.maxDuplicateParagraphFraction()));
    }
    if (paragraphCharFraction > settings.maxDuplicateParagraphCharFraction()) {
      return FilterVerdict.drop(
          "gopher_duplicate_paragraph_chars",
          paragraphCharFraction,
          settings.maxDuplicateParagraphCharFraction(),
          "%d of %d characters are in repeated paragraphs (%.3f), above %s."
              .formatted(
                  repeatedParagraphs.chars(),
                  textLength,
                  paragraphCharFraction,
                  settings.maxDuplicateParagraphCharFraction()));
    }
    if (lineFraction > settings.maxDuplicateLineFraction()) {
      return FilterVerdict.drop(
          "gopher_duplicate_lines",
          lineFraction,
          settings.maxDuplicateLineFraction(),
          "%d of %d lines repeat an earlier one (%.3f), above %s."
              .formatted(
                  repeatedLines.count(),
                  lines.size(),
                  lineFraction,
                  settings.maxDuplicateLineFraction()));
    }
    if (lineCharFraction > settings.maxDuplicateLineCharFraction()) {
      return FilterVerdict.drop(
          "gopher_duplicate_line_chars",
          lineCharFraction,
          settings.maxDuplicateLineCharFraction(),
          "%d of %d characters are in repeated lines (%.3f), above %s."
              .formatted(
                  repeatedLines.chars(),
                  textLength,
                  lineCharFraction,
                  settings.maxDuplicateLineCharFraction()));
    }
    for (Map.Entry<Integer, Double> top : topFractions.entrySet()) {
      double limit = settings.maxTopNgramCharFractions().get(top.getKey());
      if (top.getValue() > limit) {
        return FilterVerdict.drop(
            "gopher_top_" + top.getKey() + "gram",
            top.getValue(),
            limit,
            "The most frequent %d-gram covers %.3f of the text, above %s."
                .formatted(top.getKey(), top.getValue(), limit));
      }
    }
    for (Map.Entry<Integer, Double> duplicate : duplicateFractions.entrySet()) {
      double limit = settings.maxDuplicateNgramCharFractions().get(duplicate.getKey());
      if (duplicate.getValue() > limit) {
        return FilterVerdict.drop(
            "gopher_duplicate_" + duplicate.getKey() + "grams",
            duplicate.getValue(),
            limit,
            "Repeated %d-grams cover %.3f of the text, above %s."
                .formatted(duplicate.getKey(), duplicate.getValue(), limit));
      }
    }
    return FilterVerdict.keep();
  }

  private static double ratio(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }
}
