package org.millrace.processors.filter;

import com.optimaize.langdetect.DetectedLanguage;
import com.optimaize.langdetect.LanguageDetector;
import com.optimaize.langdetect.LanguageDetectorBuilder;
import com.optimaize.langdetect.i18n.LdLocale;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.BuiltInLanguages;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import com.optimaize.langdetect.text.RemoveMinorityScriptsTextFilter;
import com.optimaize.langdetect.text.TextObjectFactory;
import com.optimaize.langdetect.text.TextObjectFactoryBuilder;
import com.optimaize.langdetect.text.UrlTextFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps documents written in an allowed language, as FineWeb does with datatrove's {@code
 * LanguageFilter} ({@code src/datatrove/pipeline/filters/language_filter.py}: English, a fastText
 * probability of at least 0.65), with Optimaize's language-detector, whose 70 language profiles
 * ship inside its jar and need no network.
 *
 * <p><b>What the score means.</b> Like fastText's, it is a probability that the text is in the
 * language: the identifier is a naive Bayes classifier over character 1- to 3-grams (Shuyo's
 * language-detection, which Optimaize maintains). It draws n-grams of the text at random, updates
 * the posterior of every language until one passes 0.99999, and averages that posterior over seven
 * such draws. A clean paragraph scores above 0.99; a text half English, half French splits the
 * draws between the two (about 0.4 and 0.6); gibberish and very short texts scatter over several
 * languages. The draws are seeded, so a text always gets the same score. Languages under 0.1 are
 * not reported and count as 0.
 *
 * <p><b>Cost.</b> The draws stop once a language is certain, so a page costs about as much as a
 * paragraph; reading the {@code maxDetectedChars} prefix bounds the n-gram extraction. It replaced
 * Lingua, which took 7.5 of the default chain's 7.9 ms a page and whose confidence was relative,
 * not a probability ({@code millrace bench langid}, docs/benchmarks.md, compares the two on
 * labelled texts). One detector is shared by every filter in the JVM: its profiles load in about
 * 1.5 s on a free core (3 to 5 s on a busy one), and detection is thread-safe (each call keeps its
 * state on the stack).
 */
public final class LanguageFilter implements DocumentFilter {

  /**
   * @param allowedLanguages ISO 639-1 codes of the languages kept; empty keeps any language whose
   *     probability reaches the minimum
   * @param minimumScore the lowest probability of an allowed language
   * @param maxDetectedChars how much of the document's start is read, in characters
   */
  public record Settings(Set<String> allowedLanguages, double minimumScore, int maxDetectedChars) {

    /**
     * English and 0.65, as FineWeb (Penedo et al. 2024, section 3.1, "English ... score ≥ 0.65");
     * 1,000 characters, where the labelled long texts of {@code millrace bench langid} are already
     * all but perfectly identified.
     */
    public static final Settings DEFAULTS = new Settings(Set.of("en"), 0.65, 1_000);

    public Settings {
      allowedLanguages =
          Set.copyOf(
              new TreeSet<>(
                  allowedLanguages.stream()
                      .map(code -> code.strip().toLowerCase(Locale.ROOT))
                      .toList()));
      Set<String> known = KNOWN_LANGUAGES;
      for (String code : allowedLanguages) {
        if (!known.contains(code)) {
          throw new IllegalArgumentException(
              "The language identifier does not know the language '"
                  + code
                  + "'; it knows the ISO 639-1 codes "
                  + new TreeSet<>(known));
        }
      }
      if (minimumScore < 0 || minimumScore > 1) {
        throw new IllegalArgumentException(
            "minimumScore is a probability, between 0 and 1, not " + minimumScore);
      }
      if (maxDetectedChars < 1) {
        throw new IllegalArgumentException("maxDetectedChars must be positive");
      }
    }
  }

  /** The languages of Optimaize's built-in profiles, by ISO 639-1 code (zh-CN and zh-TW as zh). */
  private static final Set<String> KNOWN_LANGUAGES =
      BuiltInLanguages.getLanguages().stream()
          .map(LdLocale::getLanguage)
          .collect(Collectors.toUnmodifiableSet());

  /** Any fixed seed makes the random draws, and so the scores, the same on every run. */
  private static final long SEED = 19;

  private static final Logger LOG = LoggerFactory.getLogger(LanguageFilter.class);

  private final Settings settings;

  public LanguageFilter(Settings settings) {
    this.settings = settings;
    Detector.load();
  }

  @Override
  public String name() {
    return "language";
  }

  @Override
  public FilterVerdict apply(FilterDocument document) {
    String text = prefix(document.text());
    List<DetectedLanguage> probabilities =
        text.codePoints().anyMatch(Character::isLetter)
            ? Detector.INSTANCE.getProbabilities(Detector.TEXTS.forText(text))
            : List.of();
    double minimum = settings.minimumScore();
    if (probabilities.isEmpty()) {
      document.signal(name(), "language_score", 0);
      document.signal(name(), "allowed_language_score", 0);
      return FilterVerdict.drop(
          "language_undetected",
          0,
          minimum,
          document.text().isBlank()
              ? "The text is empty."
              : "No language was recognised in the first "
                  + settings.maxDetectedChars()
                  + " characters: they hold no words.");
    }
    // By language: zh-CN and zh-TW are both zh, and the probability of zh is theirs added up.
    Map<String, Double> byLanguage = new HashMap<>();
    for (DetectedLanguage language : probabilities) {
      byLanguage.merge(language.getLocale().getLanguage(), language.getProbability(), Double::sum);
    }
    excludeLanguagesWithoutTheirScript(byLanguage, text);
    Map.Entry<String, Double> top =
        Collections.max(byLanguage.entrySet(), Map.Entry.comparingByValue());
    String code = top.getKey();
    double score = top.getValue();
    double allowedScore =
        byLanguage.entrySet().stream()
            .filter(
                language ->
                    settings.allowedLanguages().isEmpty()
                        || settings.allowedLanguages().contains(language.getKey()))
            .mapToDouble(Map.Entry::getValue)
            .max()
            .orElse(0);
    document.signal(name(), "language_score", score);
    document.signal(name(), "allowed_language_score", allowedScore);
    document.putMetadata("language", code);
    document.putMetadata("language_score", String.format(Locale.ROOT, "%.4f", score));
    if (allowedScore >= minimum) {
      return FilterVerdict.keep();
    }
    if (settings.allowedLanguages().contains(code)) {
      return FilterVerdict.drop(
          "language_low_confidence",
          allowedScore,
          minimum,
          String.format(
              Locale.ROOT,
              "The text is %s with probability %.2f, less than %.2f.",
              code,
              score,
              minimum));
    }
    return FilterVerdict.drop(
        "language_not_allowed",
        allowedScore,
        minimum,
        String.format(
            Locale.ROOT,
            "The text is %s (probability %.2f); the allowed languages %s have %.2f, less than"
                + " %.2f.",
            code,
            score,
            new TreeSet<>(settings.allowedLanguages()),
            allowedScore,
            minimum));
  }

  /**
   * Korean is written in Hangul and Japanese with kana: a text with none is neither, whatever its
   * Han characters share with them (Chinese in traditional characters otherwise often comes out as
   * Korean: 8 of the 20 long Chinese texts of {@code millrace bench langid}). Their probabilities
   * are removed and the others scaled up to sum as before, Bayes' rule with the script as evidence;
   * unless nothing would be left.
   */
  static void excludeLanguagesWithoutTheirScript(Map<String, Double> byLanguage, String text) {
    Set<String> impossible = new HashSet<>();
    if (byLanguage.containsKey("ko") && !hasScript(text, Character.UnicodeScript.HANGUL)) {
      impossible.add("ko");
    }
    if (byLanguage.containsKey("ja")
        && !hasScript(text, Character.UnicodeScript.HIRAGANA)
        && !hasScript(text, Character.UnicodeScript.KATAKANA)) {
      impossible.add("ja");
    }
    double total = byLanguage.values().stream().mapToDouble(Double::doubleValue).sum();
    double removed = impossible.stream().mapToDouble(byLanguage::get).sum();
    if (impossible.isEmpty() || removed >= total) {
      return;
    }
    byLanguage.keySet().removeAll(impossible);
    byLanguage.replaceAll((language, p) -> p * total / (total - removed));
  }

  private static boolean hasScript(String text, Character.UnicodeScript script) {
    return text.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == script);
  }

  /** The start of the text, up to {@code maxDetectedChars}, cut at a space where one is near. */
  private String prefix(String text) {
    int max = settings.maxDetectedChars();
    if (text.length() <= max) {
      return text;
    }
    int cut = Character.isLowSurrogate(text.charAt(max)) ? max - 1 : max;
    for (int i = cut; i > max / 2; i--) {
      if (Character.isWhitespace(text.charAt(i))) {
        return text.substring(0, i);
      }
    }
    return text.substring(0, cut);
  }

  /** The one detector of the JVM, loaded when the first filter is built. */
  private static final class Detector {

    static final LanguageDetector INSTANCE = build();

    /**
     * Removes URLs and e-mail addresses, and the letters of every script with less than half as
     * many as the text's main script: Optimaize's default, 30%, left the Latin-script commands of
     * Chinese manual pages in, and their n-grams outvoted the Chinese ones (13 of 20 long Chinese
     * texts of {@code millrace bench langid} named wrong, 7 with half).
     */
    static final TextObjectFactory TEXTS =
        new TextObjectFactoryBuilder()
            .maxTextLength(10_000)
            .withTextFilter(UrlTextFilter.getInstance())
            .withTextFilter(RemoveMinorityScriptsTextFilter.forThreshold(0.5))
            .build();

    static void load() {
      // Referring to the class loads it, once, before the first document.
    }

    private static LanguageDetector build() {
      long start = System.nanoTime();
      try {
        LanguageDetector detector =
            LanguageDetectorBuilder.create(NgramExtractors.standard())
                .withProfiles(new LanguageProfileReader().readAllBuiltIn())
                .seed(SEED)
                .build();
        LOG.info(
            "Language detector for {} languages loaded in {} ms",
            KNOWN_LANGUAGES.size(),
            (System.nanoTime() - start) / 1_000_000);
        return detector;
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the language profiles of language-detector", e);
      }
    }
  }
}
