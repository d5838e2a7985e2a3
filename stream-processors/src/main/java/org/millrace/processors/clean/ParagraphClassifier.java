package org.millrace.processors.clean;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Tells a page's main-content paragraphs from its boilerplate, after jusText (Pomikálek,
 * <i>Removing Boilerplate and Duplicate Content from Web Corpora</i>, PhD thesis, Masaryk
 * University 2011, ch. 3; the reference implementation is {@code miso-belica/jusText}, {@code
 * core.py}).
 *
 * <p>First each paragraph alone ({@link #classifyAlone}): ones with a copyright sign are {@link
 * Quality#BAD}; shorter than {@code lengthLow}, {@link Quality#SHORT} (or bad when they hold a
 * link); link-dense ones bad; then by stop-word density, {@link Quality#GOOD} (dense and long),
 * {@link Quality#NEAR_GOOD} or bad. Then in context ({@link #classify}): a short heading followed
 * closely by good text becomes near-good; a short paragraph takes the class of its neighbours (good
 * between good ones, bad between bad ones, near-good neighbours tipping a mixed pair); a near-good
 * paragraph is good unless both neighbours are bad; a heading judged bad only in context is good
 * again when good text follows closely. The page's edges count as bad neighbours.
 *
 * <p>Languages other than English: stop words exist only for English ({@link StopWords}). When the
 * page's long, link-light paragraphs have an English stop-word density below {@code
 * minEnglishDensity}, the page is not English and the stop-word thresholds are set to zero, as in
 * jusText's language-independent mode: a long enough paragraph is then good or near-good on its
 * length alone, and context does the rest. Ours adds one signal there: a paragraph of at least
 * {@code lengthLow} characters that ends like a sentence is good, not near-good (without it,
 * Wikipedia paragraphs of 100–200 characters between headings all went as isolated near-goods). The
 * decision is made on the text, not on the declared {@code lang}, which is often wrong.
 *
 * <p>Every pass is linear in the number of paragraphs (neighbours are found by precomputed scans,
 * not by searching from each paragraph), so that a page of a million short paragraphs cannot stall
 * the stage.
 */
final class ParagraphClassifier {

  /** jusText's paragraph classes. */
  enum Quality {
    SHORT,
    BAD,
    NEAR_GOOD,
    GOOD
  }

  /**
   * The classifier's thresholds. {@link #JUSTEXT} holds jusText's published defaults.
   *
   * @param lengthLow below this many characters a paragraph is short
   * @param lengthHigh above this many characters a dense paragraph is good, not near-good
   * @param stopwordsLow stop-word density from which a paragraph is near-good
   * @param stopwordsHigh stop-word density from which a paragraph is good (if long)
   * @param maxLinkDensity share of characters inside links above which a paragraph at least {@code
   *     lengthLow} long is bad (shorter ones are bad with any link)
   * @param maxHeadingDistance how many characters of text may separate a heading from the good text
   *     that rescues it
   * @param minEnglishDensity English stop-word density of the page's candidate paragraphs below
   *     which the page is judged without stop words (not one of jusText's: ours)
   */
  record Thresholds(
      int lengthLow,
      int lengthHigh,
      double stopwordsLow,
      double stopwordsHigh,
      double maxLinkDensity,
      int maxHeadingDistance,
      double minEnglishDensity) {

    /**
     * jusText's defaults ({@code justext.core}: {@code LENGTH_LOW_DEFAULT = 70}, {@code
     * LENGTH_HIGH_DEFAULT = 200}, {@code STOPWORDS_LOW_DEFAULT = 0.30}, {@code
     * STOPWORDS_HIGH_DEFAULT = 0.32}, {@code MAX_HEADING_DISTANCE_DEFAULT = 200}), except the link
     * density: jusText's 0.2 drops most Wikipedia prose, whose paragraphs run at 0.3–0.8 (measured
     * on the whirlwind sample's an.wikipedia.org page); 0.8 is trafilatura's threshold ({@code
     * link_density_test}), and link lists, at 0.9 and more, still go. English prose runs at 0.4–0.5
     * with our stop-word list, Spanish or Aragonese at about 0.1, hence 0.15 to tell them apart.
     */
    static final Thresholds JUSTEXT = new Thresholds(70, 200, 0.30, 0.32, 0.8, 200, 0.15);
  }

  /**
   * The classes of a page's paragraphs.
   *
   * @param alone each paragraph's class judged alone
   * @param inContext each paragraph's final class: {@link Quality#GOOD} or {@link Quality#BAD}
   * @param english whether stop-word density was used (false: the language-independent mode)
   */
  record Classification(List<Quality> alone, List<Quality> inContext, boolean english) {

    boolean anyGood() {
      return inContext.contains(Quality.GOOD);
    }
  }

  /** Full stops, question and exclamation marks of Latin, CJK, Devanagari and Arabic scripts. */
  private static final String SENTENCE_ENDS = ".!?\u2026\u3002\uFF01\uFF1F\uFF0E\u0964\u061F\u06D4";

  /** What may close a sentence after its full stop: quotes, brackets, spaces. */
  private static final String CLOSING = "\"')]}\u00BB\u201D\u2019\u300D\u300F\uFF09 \n";

  private static final Pattern FOOTNOTE_MARKS = Pattern.compile("(?:\\s*\\[[^\\]]{1,12}\\])+\\s*$");

  private final Thresholds thresholds;
  private final StopWords stopWords = StopWords.english();

  ParagraphClassifier(Thresholds thresholds) {
    this.thresholds = thresholds;
  }

  Classification classify(List<Paragraph> paragraphs) {
    boolean english = isEnglish(paragraphs);
    Quality[] alone = new Quality[paragraphs.size()];
    for (int i = 0; i < alone.length; i++) {
      alone[i] = classifyAlone(paragraphs.get(i), english);
    }
    Quality[] classes = alone.clone();
    rescueHeadingsBeforeGoodText(paragraphs, classes, Quality.SHORT, Quality.NEAR_GOOD, alone);
    classifyShortByNeighbours(classes);
    reviseNearGood(classes);
    rescueHeadingsBeforeGoodText(paragraphs, classes, Quality.BAD, Quality.GOOD, alone);
    return new Classification(List.of(alone), List.of(classes), english);
  }

  /** jusText's context-free classification of one paragraph. */
  Quality classifyAlone(Paragraph paragraph, boolean english) {
    int length = paragraph.length();
    if (paragraph.text().indexOf('\u00A9') >= 0) {
      return Quality.BAD; // a copyright line
    }
    if (length < thresholds.lengthLow()) {
      return paragraph.linkChars() > 0 ? Quality.BAD : Quality.SHORT;
    }
    if (paragraph.linkDensity() > thresholds.maxLinkDensity()) {
      return Quality.BAD;
    }
    if (paragraph.preformatted()) {
      return Quality.GOOD; // code: no stop words to count, and kept verbatim
    }
    if (!english) {
      // jusText's language-independent mode, where stop-word thresholds are zero, and ours: a
      // paragraph that ends like a sentence is prose, since menus and labels do not.
      return length > thresholds.lengthHigh() || endsLikeSentence(paragraph.text())
          ? Quality.GOOD
          : Quality.NEAR_GOOD;
    }
    double density = stopWords.density(paragraph.text());
    if (density >= thresholds.stopwordsHigh()) {
      return length > thresholds.lengthHigh() ? Quality.GOOD : Quality.NEAR_GOOD;
    }
    return density >= thresholds.stopwordsLow() ? Quality.NEAR_GOOD : Quality.BAD;
  }

  /** Whether the text ends with a full stop, question or exclamation mark, before any "[1]". */
  static boolean endsLikeSentence(String text) {
    String end = FOOTNOTE_MARKS.matcher(text).replaceAll("");
    int i = end.length() - 1;
    while (i >= 0 && CLOSING.indexOf(end.charAt(i)) >= 0) {
      i--;
    }
    return i >= 0 && SENTENCE_ENDS.indexOf(end.charAt(i)) >= 0;
  }

  /** Whether the page's candidate paragraphs (long and link-light) read as English. */
  private boolean isEnglish(List<Paragraph> paragraphs) {
    long words = 0;
    long stop = 0;
    for (Paragraph paragraph : paragraphs) {
      if (paragraph.length() >= thresholds.lengthLow()
          && !paragraph.preformatted()
          && paragraph.linkDensity() <= thresholds.maxLinkDensity()) {
        StopWords.Count count = stopWords.count(paragraph.text());
        words += count.words();
        stop += count.stopWords();
      }
    }
    return words > 0 && (double) stop / words >= thresholds.minEnglishDensity();
  }

  /**
   * A heading of class {@code from} (in {@code classes}; for {@code from = BAD}, only one not bad
   * on its own) becomes {@code to} when good text starts within {@code maxHeadingDistance}
   * characters after it. Each heading looks ahead over at most that many characters, so the pass is
   * linear.
   */
  private void rescueHeadingsBeforeGoodText(
      List<Paragraph> paragraphs, Quality[] classes, Quality from, Quality to, Quality[] alone) {
    for (int i = 0; i < classes.length; i++) {
      if (!paragraphs.get(i).heading() || classes[i] != from) {
        continue;
      }
      if (from == Quality.BAD && alone[i] == Quality.BAD) {
        continue;
      }
      int distance = 0;
      for (int j = i + 1; j < classes.length && distance <= thresholds.maxHeadingDistance(); j++) {
        if (classes[j] == Quality.GOOD) {
          classes[i] = to;
          break;
        }
        distance += paragraphs.get(j).length();
      }
    }
  }

  /** Short paragraphs take their class from their neighbours, all judged on the same snapshot. */
  private static void classifyShortByNeighbours(Quality[] classes) {
    int n = classes.length;
    Quality[] prevGoodOrBad = new Quality[n];
    Quality[] prevAny = new Quality[n];
    Quality lastGoodOrBad = Quality.BAD;
    Quality lastAny = Quality.BAD;
    for (int i = 0; i < n; i++) {
      prevGoodOrBad[i] = lastGoodOrBad;
      prevAny[i] = lastAny;
      if (classes[i] == Quality.GOOD || classes[i] == Quality.BAD) {
        lastGoodOrBad = classes[i];
        lastAny = classes[i];
      } else if (classes[i] == Quality.NEAR_GOOD) {
        lastAny = classes[i];
      }
    }
    Quality[] nextGoodOrBad = new Quality[n];
    Quality[] nextAny = new Quality[n];
    lastGoodOrBad = Quality.BAD;
    lastAny = Quality.BAD;
    for (int i = n - 1; i >= 0; i--) {
      nextGoodOrBad[i] = lastGoodOrBad;
      nextAny[i] = lastAny;
      if (classes[i] == Quality.GOOD || classes[i] == Quality.BAD) {
        lastGoodOrBad = classes[i];
        lastAny = classes[i];
      } else if (classes[i] == Quality.NEAR_GOOD) {
        lastAny = classes[i];
      }
    }
    Quality[] revised = classes.clone();
    for (int i = 0; i < n; i++) {
      if (classes[i] != Quality.SHORT) {
        continue;
      }
      Quality prev = prevGoodOrBad[i];
      Quality next = nextGoodOrBad[i];
      if (prev == next) {
        revised[i] = prev;
      } else if (prev == Quality.BAD) {
        revised[i] = prevAny[i] == Quality.NEAR_GOOD ? Quality.GOOD : Quality.BAD;
      } else {
        revised[i] = nextAny[i] == Quality.NEAR_GOOD ? Quality.GOOD : Quality.BAD;
      }
    }
    System.arraycopy(revised, 0, classes, 0, n);
  }

  /**
   * A near-good paragraph is good unless both its good-or-bad neighbours are bad. As in jusText,
   * the revision is in place: a paragraph sees the revised class of those before it.
   */
  private static void reviseNearGood(Quality[] classes) {
    int n = classes.length;
    Quality[] nextGoodOrBad = new Quality[n];
    Quality last = Quality.BAD;
    for (int i = n - 1; i >= 0; i--) {
      nextGoodOrBad[i] = last;
      if (classes[i] == Quality.GOOD || classes[i] == Quality.BAD) {
        last = classes[i];
      }
    }
    Quality prev = Quality.BAD;
    for (int i = 0; i < n; i++) {
      if (classes[i] == Quality.NEAR_GOOD) {
        classes[i] =
            prev == Quality.BAD && nextGoodOrBad[i] == Quality.BAD ? Quality.BAD : Quality.GOOD;
      }
      if (classes[i] == Quality.GOOD || classes[i] == Quality.BAD) {
        prev = classes[i];
      }
    }
  }

  /** The paragraphs whose class is {@code wanted}, in order. */
  static List<Paragraph> select(List<Paragraph> paragraphs, List<Quality> classes, Quality wanted) {
    List<Paragraph> selected = new ArrayList<>();
    for (int i = 0; i < paragraphs.size(); i++) {
      if (classes.get(i) == wanted) {
        selected.add(paragraphs.get(i));
      }
    }
    return selected;
  }
}
