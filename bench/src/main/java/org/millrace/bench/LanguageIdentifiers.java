package org.millrace.bench;

import java.util.List;
import java.util.Set;
import org.millrace.processors.filter.DocumentFilter;
import org.millrace.processors.filter.LanguageFilter;

/**
 * The language identifiers {@code millrace bench langid} compares, each as a language filter that
 * writes the metadata {@code language} and the signals {@code language.language_score} and {@code
 * language.allowed_language_score} (English's score).
 */
final class LanguageIdentifiers {

  /** The languages of scripts/langid_eval_set.py's labelled set. */
  static final Set<String> EVALUATED_LANGUAGES =
      Set.of(
          "en", "de", "fr", "es", "it", "nl", "sv", "pl", "pt", "ro", "fi", "hu", "tr", "id", "vi",
          "el", "ru", "uk", "ja", "zh");

  /**
   * {@code lingua}: the clean stage's filter before this one, Lingua on all its 75 languages;
   * {@code lingua-20}: the same restricted to the 20 languages of the labelled set, Lingua at its
   * fastest and, on this set, its most accurate (it cannot name a language outside them); {@code
   * language-detector}: the clean stage's language filter, with its defaults.
   */
  static final List<String> NAMES = List.of("lingua", "lingua-20", "language-detector");

  private LanguageIdentifiers() {}

  static DocumentFilter named(String name) {
    return switch (name) {
      case "lingua" -> new LinguaLanguageFilter(Set.of());
      case "lingua-20" -> new LinguaLanguageFilter(EVALUATED_LANGUAGES);
      case "language-detector" -> new LanguageFilter(LanguageFilter.Settings.DEFAULTS);
      default -> throw new IllegalArgumentException("No language identifier " + name);
    };
  }
}
