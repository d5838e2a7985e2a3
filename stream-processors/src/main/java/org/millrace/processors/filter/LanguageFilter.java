package org.millrace.processors.filter;

import com.github.pemistahl.lingua.api.IsoCode639_1;
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
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps documents written in an allowed language, as FineWeb does with datatrove's {@code
 * LanguageFilter} ({@code src/datatrove/pipeline/filters/language_filter.py}: English, a fastText
 * score of at least 0.65), but with Lingua, whose models ship inside its jar and need no network.
 *
 * <p><b>What the score means.</b> Lingua 1.2's confidence values are relative: the most likely
 * language always gets 1.0, so they cannot be held against a threshold. The score here is the share
 * of the text that is in the language: the text is cut into segments of whole sentences or lines,
 * at least {@code minSegmentChars} long, Lingua names each segment's language, and a language's
 * score is the share of the letters in the segments it won. A clean English page scores near 1, a
 * page half English, half French near 0.5, and gibberish scatters over many languages. FineWeb's
 * 0.65 reads here as "at least 65% of the text".
 *
 * <p><b>Cost.</b> One detector is built per set of candidate languages and shared by every filter
 * in the JVM (Lingua's detector is thread-safe, its models are static). The default, all 75
 * languages in low-accuracy mode, retains about 60 MB of heap and loads in 1.4 s on a free core (6
 * to 7 s on a shared, busy one); high-accuracy mode took 11 s and 1.4 GB, and only helps texts
 * under 120 characters (above that Lingua uses trigrams alone in either mode), shorter than our
 * segments. Detection costs about 5 ms per 500 characters on one core, so only a prefix of {@code
 * maxDetectedChars} is read. Lingua brings the Kotlin standard library, Moshi, Okio and fastutil
 * (about 30 MB of jars besides its own 80 MB).
 */
public final class LanguageFilter implements DocumentFilter {

  /**
   * @param allowedLanguages ISO 639-1 codes of the languages kept; empty keeps any language whose
   *     score reaches the minimum
   * @param minimumScore the lowest share of the text in an allowed language
   * @param maxDetectedChars how much of the document's start is read, in characters
   * @param minSegmentChars the shortest segment judged on its own; shorter sentences join the next
   * @param candidateLanguages ISO 639-1 codes among which Lingua chooses; empty for all of Lingua's
   *     75 languages, which guards against calling an unlisted language by its nearest neighbour
   */
  public record Settings(
      Set<String> allowedLanguages,
      double minimumScore,
      int maxDetectedChars,
      int minSegmentChars,
      Set<String> candidateLanguages) {

    /**
     * English and 0.65, as FineWeb; 1,000 characters (five segments of 200, enough for a share to
     * mean something, at about 10 ms a document).
     */
    public static final Settings DEFAULTS = new Settings(Set.of("en"), 0.65, 1_000, 200, Set.of());

    public Settings {
      allowedLanguages = Set.copyOf(new TreeSet<>(lowerCase(allowedLanguages)));
      candidateLanguages = Set.copyOf(new TreeSet<>(lowerCase(candidateLanguages)));
      languagesOf(allowedLanguages);
      Set<Language> candidates = languagesOf(candidateLanguages);
      if (!candidateLanguages.isEmpty()) {
        if (candidates.size() < 2) {
          throw new IllegalArgumentException(
              "Language identification needs at least two candidate languages, not "
                  + candidateLanguages);
        }
        if (!candidateLanguages.containsAll(allowedLanguages)) {
          throw new IllegalArgumentException(
              "Allowed languages " + allowedLanguages + " are not all among " + candidateLanguages);
        }
      }
      if (maxDetectedChars < 1 || minSegmentChars < 1) {
        throw new IllegalArgumentException("maxDetectedChars and minSegmentChars must be positive");
      }
    }

    private static List<String> lowerCase(Set<String> codes) {
      return codes.stream().map(code -> code.strip().toLowerCase(Locale.ROOT)).toList();
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(LanguageFilter.class);

  /** Detectors by candidate set (empty for all languages), built once per JVM. */
  private static final Map<Set<Language>, LanguageDetector> DETECTORS = new ConcurrentHashMap<>();

  private final Settings settings;
  private final Set<Language> allowed;
  private final LanguageDetector detector;

  public LanguageFilter(Settings settings) {
    this.settings = settings;
    this.allowed = languagesOf(settings.allowedLanguages());
    this.detector =
        DETECTORS.computeIfAbsent(
            languagesOf(settings.candidateLanguages()), LanguageFilter::buildDetector);
  }

  @Override
  public String name() {
    return "language";
  }

  @Override
  public FilterVerdict apply(FilterDocument document) {
    List<String> segments = segments(prefix(document.text()), settings.minSegmentChars());
    Map<Language, Integer> lettersByLanguage = new EnumMap<>(Language.class);
    int totalLetters = 0;
    for (String segment : segments) {
      int letters = (int) segment.codePoints().filter(Character::isLetter).count();
      if (letters > 0) {
        lettersByLanguage.merge(detector.detectLanguageOf(segment), letters, Integer::sum);
        totalLetters += letters;
      }
    }
    lettersByLanguage.remove(Language.UNKNOWN);
    Language top = null;
    int topLetters = 0;
    int allowedLetters = 0;
    for (Map.Entry<Language, Integer> entry : lettersByLanguage.entrySet()) {
      if (entry.getValue() > topLetters) {
        top = entry.getKey();
        topLetters = entry.getValue();
      }
      if (allowed.isEmpty() || allowed.contains(entry.getKey())) {
        allowedLetters = Math.max(allowedLetters, entry.getValue());
      }
    }
    double score = totalLetters == 0 ? 0 : (double) topLetters / totalLetters;
    double allowedScore = totalLetters == 0 ? 0 : (double) allowedLetters / totalLetters;
    document.signal(name(), "language_score", score);
    document.signal(name(), "allowed_language_score", allowedScore);
    document.signal(name(), "segments", segments.size());

    double minimum = settings.minimumScore();
    if (top == null) {
      return FilterVerdict.drop(
          "language_undetected",
          0,
          minimum,
          "No language was recognised in the first "
              + settings.maxDetectedChars()
              + " characters.");
    }
    String code = isoCode(top);
    document.putMetadata("language", code);
    document.putMetadata("language_score", String.format(Locale.ROOT, "%.4f", score));
    if (allowedScore >= minimum) {
      return FilterVerdict.keep();
    }
    if (allowed.contains(top)) {
      return FilterVerdict.drop(
          "language_low_confidence",
          score,
          minimum,
          String.format(
              Locale.ROOT, "%s covers %.2f of the text, less than %.2f.", code, score, minimum));
    }
    return FilterVerdict.drop(
        "language_not_allowed",
        allowedScore,
        minimum,
        String.format(
            Locale.ROOT,
            "The text is %s (%.2f); the allowed languages %s cover %.2f, less than %.2f.",
            code,
            score,
            new TreeSet<>(settings.allowedLanguages()),
            allowedScore,
            minimum));
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

  /**
   * Whole sentences and lines, joined until each is at least {@code minChars} long; a short
   * remainder joins the last segment.
   */
  static List<String> segments(String text, int minChars) {
    List<String> segments = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (i + 1 - start >= minChars && endsSentence(text, i)) {
        segments.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      String rest = text.substring(start);
      if (rest.length() < minChars && !segments.isEmpty()) {
        int last = segments.size() - 1;
        segments.set(last, segments.get(last) + rest);
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
    long start = System.nanoTime();
    LanguageDetectorBuilder builder =
        candidates.isEmpty()
            ? LanguageDetectorBuilder.fromAllLanguages()
            : LanguageDetectorBuilder.fromLanguages(candidates.toArray(Language[]::new));
    LanguageDetector detector = builder.withLowAccuracyMode().withPreloadedLanguageModels().build();
    LOG.info(
        "Lingua detector for {} languages (low accuracy) loaded in {} ms",
        candidates.isEmpty() ? "all" : candidates.size(),
        (System.nanoTime() - start) / 1_000_000);
    return detector;
  }

  /** Lingua's languages for ISO 639-1 codes, refusing codes it does not know. */
  private static Set<Language> languagesOf(Set<String> codes) {
    Set<Language> languages = EnumSet.noneOf(Language.class);
    for (String code : codes) {
      IsoCode639_1 iso;
      try {
        iso = IsoCode639_1.valueOf(code.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Not an ISO 639-1 language code: " + code, e);
      }
      Language language = Language.getByIsoCode639_1(iso);
      if (language == Language.UNKNOWN) {
        throw new IllegalArgumentException("Lingua does not know the language " + code);
      }
      languages.add(language);
    }
    return languages;
  }

  private static String isoCode(Language language) {
    return language.getIsoCode639_1().toString().toLowerCase(Locale.ROOT);
  }
}
