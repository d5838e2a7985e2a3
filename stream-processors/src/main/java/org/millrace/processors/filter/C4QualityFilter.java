package org.millrace.processors.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * C4's cleaning rules (Raffel et al. 2020, "Exploring the Limits of Transfer Learning with a
 * Unified Text-to-Text Transformer", section 2.2), as datatrove's {@code C4QualityFilter} and
 * TensorFlow Datasets' {@code c4_utils.clean_page} implement them. Most rules remove lines, and the
 * filter rewrites the kept document to its kept lines: lines with a word over 1,000 characters,
 * without terminal punctuation, of fewer than 3 words, mentioning javascript, or speaking of
 * cookies and terms of use. A document is dropped whole if a kept line says "lorem ipsum" or holds
 * a curly bracket (code, as the paper reasons), or if fewer than 5 sentences are left.
 *
 * <p>Lines are Python's {@code str.splitlines()}, stripped; a line's words are its
 * whitespace-separated pieces; sentences are counted by {@link SentenceCount}. As in datatrove,
 * "lorem ipsum" and the curly bracket count only in lines the earlier line rules kept. Unlike
 * datatrove, which stops at the first such line, the filter reads every line, so that its signals
 * describe the whole document, and then checks lorem ipsum, curly bracket and sentences in that
 * order. A dropped document keeps its original text, for the rejected-documents topic.
 */
public record C4QualityFilter(Settings settings) implements DocumentFilter {

  /**
   * The rules and their limits, each switchable: a boolean rule by {@code false}, a count by 0.
   *
   * @param removeCitations whether Wikipedia citation marks ({@code [1]}, {@code [edit]}, {@code
   *     [citation needed]}) are cut out of lines before the punctuation rule
   * @param dropLinesWithoutTerminalPunctuation whether a line must end in {@code . ? ! " '} (and
   *     not in {@code ...})
   * @param minSentences fewest sentences in the kept lines
   * @param minWordsPerLine fewest words in a kept line
   * @param maxWordLength longest word, in characters, in a kept line
   * @param dropLoremIpsum whether "lorem ipsum" drops the document
   * @param dropLinesWithJavascript whether lines mentioning "javascript" are removed
   * @param dropCurlyBracket whether a curly bracket drops the document
   * @param dropLinesWithPolicy whether lines with cookie and terms-of-use phrases are removed
   */
  public record Settings(
      boolean removeCitations,
      boolean dropLinesWithoutTerminalPunctuation,
      int minSentences,
      int minWordsPerLine,
      int maxWordLength,
      boolean dropLoremIpsum,
      boolean dropLinesWithJavascript,
      boolean dropCurlyBracket,
      boolean dropLinesWithPolicy) {

    /**
     * The published values: Raffel et al. 2020, section 2.2, and the defaults of datatrove's {@code
     * C4QualityFilter} (src/datatrove/pipeline/filters/c4_filters.py). FineWeb's pipeline (Penedo
     * et al. 2024) runs it without the terminal punctuation rule.
     */
    public static final Settings DEFAULTS =
        new Settings(true, true, 5, 3, 1000, true, true, true, true);
  }

  private static final Pattern CITATION =
      Pattern.compile("\\[\\p{Nd}*]|\\[edit]|\\[citation needed]");

  /** The phrases of cookie banners and legal footers, from datatrove and TFDS. */
  private static final List<String> POLICY_PHRASES =
      List.of(
          "terms of use",
          "privacy policy",
          "cookie policy",
          "uses cookies",
          "use of cookies",
          "use cookies");

  @Override
  public String name() {
    return "c4_quality";
  }

  @Override
  public FilterVerdict apply(FilterDocument document) {
    List<String> lines = TextLines.splitLines(document.text());
    List<String> kept = new ArrayList<>();
    int tooLongWord = 0;
    int noTerminalPunctuation = 0;
    int tooFewWords = 0;
    int javascript = 0;
    int policy = 0;
    int loremIpsum = 0;
    int curlyBracket = 0;
    int sentences = 0;
    for (String original : lines) {
      String line = TextLines.strip(original);
      WordRuns words = WordRuns.of(line);
      if (settings.maxWordLength() > 0 && words.longest() > settings.maxWordLength()) {
        tooLongWord++;
        continue;
      }
      if (settings.removeCitations()) {
        line = CITATION.matcher(line).replaceAll("");
      }
      if (settings.dropLinesWithoutTerminalPunctuation() && !endsASentence(line)) {
        noTerminalPunctuation++;
        continue;
      }
      if (words.count() < settings.minWordsPerLine()) {
        tooFewWords++;
        continue;
      }
      String lower = line.toLowerCase(Locale.ROOT);
      if (settings.dropLoremIpsum() && lower.contains("lorem ipsum")) {
        loremIpsum++;
      }
      if (settings.dropLinesWithJavascript() && lower.contains("javascript")) {
        javascript++;
        continue;
      }
      if (settings.dropCurlyBracket() && line.contains("{")) {
        curlyBracket++;
      }
      if (settings.dropLinesWithPolicy() && POLICY_PHRASES.stream().anyMatch(lower::contains)) {
        policy++;
        continue;
      }
      sentences += SentenceCount.of(line);
      kept.add(line);
    }

    document.signal(name(), "lines", lines.size());
    document.signal(name(), "lines_too_long_word", tooLongWord);
    document.signal(name(), "lines_no_terminal_punctuation", noTerminalPunctuation);
    document.signal(name(), "lines_too_few_words", tooFewWords);
    document.signal(name(), "lines_javascript", javascript);
    document.signal(name(), "lines_policy", policy);
    document.signal(name(), "lines_kept", kept.size());
    document.signal(name(), "lorem_ipsum_lines", loremIpsum);
    document.signal(name(), "curly_bracket_lines", curlyBracket);
    document.signal(name(), "sentences", sentences);

    if (loremIpsum > 0) {
      return FilterVerdict.drop(
          "c4_lorem_ipsum",
          loremIpsum,
          0,
          "%d kept lines say \"lorem ipsum\"; placeholder text drops the document."
              .formatted(loremIpsum));
    }
    if (curlyBracket > 0) {
      return FilterVerdict.drop(
          "c4_curly_bracket",
          curlyBracket,
          0,
          "%d kept lines hold a curly bracket, a sign of code.".formatted(curlyBracket));
    }
    if (sentences < settings.minSentences()) {
      return FilterVerdict.drop(
          "c4_too_few_sentences",
          sentences,
          settings.minSentences(),
          "%d sentences in %d kept of %d lines, fewer than %d."
              .formatted(sentences, kept.size(), lines.size(), settings.minSentences()));
    }
    document.setText(TextLines.strip(String.join("\n", kept)));
    return FilterVerdict.keep();
  }

  private static boolean endsASentence(String line) {
    if (line.endsWith("...") || line.isEmpty()) {
      return false;
    }
    char last = line.charAt(line.length() - 1);
    return last == '.' || last == '?' || last == '!' || last == '"' || last == '\'';
  }

  /** A line's whitespace-separated words, as Python's {@code str.split()}: count and longest. */
  private record WordRuns(int count, int longest) {

    static WordRuns of(String line) {
      int count = 0;
      int longest = 0;
      int current = 0;
      for (int i = 0; i < line.length(); ) {
        int codePoint = line.codePointAt(i);
        i += Character.charCount(codePoint);
        if (TextWords.isSpace(codePoint)) {
          current = 0;
          continue;
        }
        if (current++ == 0) {
          count++;
        }
        longest = Math.max(longest, current);
      }
      return new WordRuns(count, longest);
    }
  }
}
