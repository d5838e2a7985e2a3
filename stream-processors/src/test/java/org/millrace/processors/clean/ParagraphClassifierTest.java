package org.millrace.processors.clean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.millrace.processors.clean.ParagraphClassifier.Quality.BAD;
import static org.millrace.processors.clean.ParagraphClassifier.Quality.GOOD;
import static org.millrace.processors.clean.ParagraphClassifier.Quality.NEAR_GOOD;
import static org.millrace.processors.clean.ParagraphClassifier.Quality.SHORT;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParagraphClassifierTest {

  private static final String PROSE =
      "The river was high that spring, and the mill ran day and night while the water lasted. "
          + "Nobody in the village could remember a year when the wheel had turned for so long, "
          + "and the miller said that it would not happen again in his lifetime.";

  private static final String MORE_PROSE =
      "When the flood came down from the hills in April, it carried away the footbridge and "
          + "half of the orchard, but the mill itself stood, as it had stood for two hundred "
          + "years, on the rock that its builders had chosen with some care.";

  private final ParagraphClassifier classifier =
      new ParagraphClassifier(ParagraphClassifier.Thresholds.JUSTEXT);

  @Test
  void longProseDenseInStopWordsIsGood() {
    assertThat(classifier.classifyAlone(text(PROSE), true)).isEqualTo(GOOD);
    assertThat(classifier.classify(List.of(text(PROSE))).inContext()).containsExactly(GOOD);
  }

  @Test
  void aListOfLinksIsBad() {
    List<Paragraph> menu =
        List.of(link("Home"), link("About us"), link("Products"), link("Contact"), link("Blog"));

    assertThat(classifier.classify(menu).inContext()).containsOnly(BAD);
    Paragraph inlineLinks =
        new Paragraph(
            "Home | About us | Products and services | Customer stories | Careers | Contact",
            66,
            false,
            false);
    assertThat(classifier.classifyAlone(inlineLinks, true)).isEqualTo(BAD);
  }

  @Test
  void proseWithSomeLinksStaysGood() {
    Paragraph linked = new Paragraph(PROSE, PROSE.length() / 3, false, false);

    assertThat(classifier.classifyAlone(linked, true)).isEqualTo(GOOD);
  }

  @Test
  void aShortLineBetweenTwoGoodParagraphsIsKeptAndBetweenBadOnesDropped() {
    Paragraph shortLine = text("And then the rain stopped.");

    assertThat(classifier.classify(List.of(text(PROSE), shortLine, text(MORE_PROSE))).inContext())
        .containsExactly(GOOD, GOOD, GOOD);
    assertThat(classifier.classify(List.of(link("Home"), shortLine, link("Contact"))).inContext())
        .containsExactly(BAD, BAD, BAD);
  }

  @Test
  void aShortHeadingBeforeGoodTextIsKept() {
    Paragraph heading = new Paragraph("The flood of 1841", 0, true, false);
    Paragraph notHeading = text("Share this page");

    assertThat(classifier.classify(List.of(heading, text(PROSE))).inContext())
        .containsExactly(GOOD, GOOD);
    assertThat(classifier.classify(List.of(notHeading, text(PROSE))).inContext())
        .containsExactly(BAD, GOOD);
  }

  @Test
  void textPoorInStopWordsIsBadAndCopyrightLinesAreBad() {
    Paragraph keywords =
        text(
            "Cheap flights hotels car rental cruises vacation packages deals discounts "
                + "last minute offers travel insurance");

    assertThat(classifier.classifyAlone(keywords, true)).isEqualTo(BAD);
    assertThat(classifier.classifyAlone(text("\u00A9 2024 The Mill Company"), true)).isEqualTo(BAD);
    assertThat(classifier.classifyAlone(text("Contact"), true)).isEqualTo(SHORT);
  }

  @Test
  void aPageWithoutEnglishStopWordsIsJudgedOnLengthAndSentencesNotWipedOut() {
    Paragraph spanish =
        text(
            "El molino estaba junto al río, y durante siglos molió el trigo de todos los pueblos"
                + " del valle.");
    Paragraph spanishLabel =
        text("Molino harinero del siglo XVIII restaurado por la asociación local de vecinos");

    ParagraphClassifier.Classification classes =
        classifier.classify(List.of(spanish, spanishLabel));

    assertThat(classes.english()).isFalse();
    assertThat(classes.alone()).containsExactly(GOOD, NEAR_GOOD);
    assertThat(classes.inContext()).containsExactly(GOOD, GOOD);
    assertThat(classifier.classifyAlone(spanish, true))
        .as("the same paragraph judged by English stop words")
        .isEqualTo(BAD);
  }

  @Test
  void sentenceEndsAreFoundBehindQuotesAndFootnoteMarks() {
    assertThat(ParagraphClassifier.endsLikeSentence("It was built in 1578.[1]")).isTrue();
    assertThat(ParagraphClassifier.endsLikeSentence("He said: \u201CNever again.\u201D")).isTrue();
    assertThat(ParagraphClassifier.endsLikeSentence("这是一个句子。")).isTrue();
    assertThat(ParagraphClassifier.endsLikeSentence("Products and services")).isFalse();
  }

  @Test
  void manyShortParagraphsAreClassifiedInOnePass() {
    List<Paragraph> many = java.util.Collections.nCopies(200_000, text("x"));

    assertThat(classifier.classify(many).inContext()).hasSize(200_000).containsOnly(BAD);
  }

  private static Paragraph text(String text) {
    return new Paragraph(text, 0, false, false);
  }

  private static Paragraph link(String text) {
    return new Paragraph(text, text.replace(" ", "").length(), false, false);
  }
}
