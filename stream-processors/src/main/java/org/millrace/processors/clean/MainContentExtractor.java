package org.millrace.processors.clean;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The main content of a parsed HTML page: boilerplate pruned ({@link BoilerplatePruner}), the rest
 * cut into paragraphs ({@link ParagraphSplitter}) and classified ({@link ParagraphClassifier}), the
 * good paragraphs kept in order, one per line with an empty line between them, {@code <pre>} blocks
 * verbatim. With the page's title and declared language ({@link DeclaredLanguage}).
 *
 * <p>When the classifier finds no good paragraph at all (a page of a few short lines, such as the
 * {@code {"html": "<p>hi</p>"}} a person sends by hand), every paragraph not bad on its own is kept
 * instead, as trafilatura falls back on a baseline extraction: the quality filters after this stage
 * judge such short texts better than a boilerplate classifier can.
 */
final class MainContentExtractor {

  /** Text, title (null if none) and declared language (null if none) of a page. */
  record MainContent(String text, String title, String language) {}

  private final ParagraphClassifier classifier;

  MainContentExtractor(ParagraphClassifier.Thresholds thresholds) {
    this.classifier = new ParagraphClassifier(thresholds);
  }

  /**
   * Extracts the main content; changes {@code page} (prunes it).
   *
   * @throws Deadline.DeadlineExceededException when the deadline passes first
   */
  MainContent extract(Document page, Deadline deadline) {
    String title = page.title().isBlank() ? null : page.title().strip();
    String language = DeclaredLanguage.of(page);
    Element root = page.body() == null ? page : page.body();
    BoilerplatePruner.prune(root, deadline);
    List<Paragraph> paragraphs = ParagraphSplitter.split(root, deadline);
    deadline.check();
    ParagraphClassifier.Classification classes = classifier.classify(paragraphs);
    List<Paragraph> kept =
        classes.anyGood()
            ? ParagraphClassifier.select(
                paragraphs, classes.inContext(), ParagraphClassifier.Quality.GOOD)
            : notBadAlone(paragraphs, classes.alone());
    StringJoiner text = new StringJoiner("\n\n");
    for (Paragraph paragraph : kept) {
      text.add(paragraph.text());
    }
    return new MainContent(text.toString(), title, language);
  }

  private static List<Paragraph> notBadAlone(
      List<Paragraph> paragraphs, List<ParagraphClassifier.Quality> alone) {
    List<Paragraph> kept = new ArrayList<>();
    for (int i = 0; i < paragraphs.size(); i++) {
      if (alone.get(i) != ParagraphClassifier.Quality.BAD) {
        kept.add(paragraphs.get(i));
      }
    }
    return kept;
  }
}
