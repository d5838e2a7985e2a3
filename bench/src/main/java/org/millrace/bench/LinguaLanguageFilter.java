package org.millrace.bench;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.millrace.processors.filter.DocumentFilter;
import org.millrace.processors.filter.FilterDocument;
import org.millrace.processors.filter.FilterVerdict;

/**
 * The clean stage's language filter before language-detector replaced it, kept as the reference of
 * {@code millrace bench langid}: Lingua 1.2 in low-accuracy mode names the language of each segment
 * of whole sentences (at least 200 characters) of the first 1,000 characters, and a language's
 * score is the share of the letters in the segments it won, since Lingua's own confidence is
 * relative (the top language always gets 1.0). English, at least 0.65 of the text, is kept. It
 * writes the same metadata and signals as {@code LanguageFilter}, so the benchmark reads both
 * alike.
 */
public final class LinguaLanguageFilter implements DocumentFilter {

  private static final int MAX_DETECTED_CHARS = 1_000;
  private static final int MIN_SEGMENT_CHARS = 200;
  private static final double MINIMUM_SCORE = 0.65;

  /** Detectors by candidate set (empty for all languages), built once per JVM. */
  private static final Map<Set<Language>, LanguageDetector> DETECTORS = new ConcurrentHashMap<>();

  private final LanguageDetector detector;

  /**
   * @param candidates ISO 639-1 codes among which Lingua chooses; empty for all 75 of its languages
   */
  public LinguaLanguageFilter(Set<String> candidates) {
    Set<Language> languages = EnumSet.noneOf(Language.class);
    for (Language language : Language.values()) {
      if (language != Language.UNKNOWN && candidates.contains(isoCode(language))) {
        languages.add(language);
      }
    }
    if (languages.size() != candidates.size()) {
      throw new IllegalArgumentException("Lingua does not know all of " + candidates);
    }
    this.detector = DETECTORS.computeIfAbsent(languages, LinguaLanguageFilter::buildDetector);
  }

  @Override
  public String name() {
    return "language";
  }

  @Override
  public FilterVerdict apply(FilterDocument document) {
    String text = document.text();
    if (text.length() > MAX_DETECTED_CHARS) {
      int space = text.lastIndexOf(' ', MAX_DETECTED_CHARS);
      text = text.substring(0, space > MAX_DETECTED_CHARS / 2 ? space : MAX_DETECTED_CHARS);
    }
    Map<Language, Integer> lettersByLanguage = new EnumMap<>(Language.class);
    int totalLetters = 0;
    for (String segment : segments(text)) {
      int letters = (int) segment.codePoints().filter(Character::isLetter).count();
      if (letters > 0) {
        lettersByLanguage.merge(detector.detectLanguageOf(segment), letters, Integer::sum);
        totalLetters += letters;
      }
    }
    lettersByLanguage.remove(Language.UNKNOWN);
    Language top = null;
    int topLetters = 0;
    for (Map.Entry<Language, Integer> entry : lettersByLanguage.entrySet()) {
      if (entry.getValue() > topLetters) {
        top = entry.getKey();
        topLetters = entry.getValue();
      }
    }
    double score = totalLetters == 0 ? 0 : (double) topLetters / totalLetters;
    double englishScore =
        totalLetters == 0
            ? 0
            : (double) lettersByLanguage.getOrDefault(Language.ENGLISH, 0) / totalLetters;
    document.signal(name(), "language_score", score);
    document.signal(name(), "allowed_language_score", englishScore);
    if (top == null) {
      return FilterVerdict.drop("language_undetected", 0, MINIMUM_SCORE, "No language");
    }
    document.putMetadata("language", isoCode(top));
    return englishScore >= MINIMUM_SCORE
        ? FilterVerdict.keep()
        : FilterVerdict.drop("language_not_allowed", englishScore, MINIMUM_SCORE, isoCode(top));
  }

  /** Whole sentences and lines, joined until each is at least 200 characters long. */
  private static List<String> segments(String text) {
    List<String> segments = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (i + 1 - start >= MIN_SEGMENT_CHARS && endsSentence(text, i)) {
        segments.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      String rest = text.substring(start);
      if (rest.length() < MIN_SEGMENT_CHARS && !segments.isEmpty()) {
        segments.set(segments.size() - 1, segments.get(segments.size() - 1) + rest);
      } else {
        segments.add(rest);
      }
    }
    return segments;
  }

  private static boolean endsSentence(String text, int i) {
    char c = text.charAt(i);
    if (c == '\n' || c == '。' || c == '！' || c == '？' || c == '।') {
      return true;
    }
    boolean spaceFollows = i + 1 < text.length() && Character.isWhitespace(text.charAt(i + 1));
    return (c == '.' || c == '!' || c == '?') && spaceFollows;
  }

  private static LanguageDetector buildDetector(Set<Language> candidates) {
    LanguageDetectorBuilder builder =
        candidates.isEmpty()
            ? LanguageDetectorBuilder.fromAllLanguages()
            : LanguageDetectorBuilder.fromLanguages(candidates.toArray(Language[]::new));
    return builder.withLowAccuracyMode().withPreloadedLanguageModels().build();
  }

  private static String isoCode(Language language) {
    return language.getIsoCode639_1().toString().toLowerCase(Locale.ROOT);
  }
}
