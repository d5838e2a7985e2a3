package org.millrace.processors.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.millrace.runtime.testing.SharedTestData;

class LanguageFilterTest {

  private static final String ENGLISH =
      "The committee met on Tuesday to discuss the new budget for the public library. Most members"
          + " agreed that the reading rooms need better lighting, and that the children's section"
          + " should stay open later on weekdays so that parents can visit after work.";
  private static final String FRENCH =
      "Le comité s'est réuni mardi pour discuter du nouveau budget de la bibliothèque municipale."
          + " La plupart des membres ont convenu que les salles de lecture ont besoin d'un meilleur"
          + " éclairage et que la section des enfants devrait rester ouverte plus tard en semaine.";
  private static final String GERMAN =
      "Der Ausschuss traf sich am Dienstag, um über den neuen Haushalt der Stadtbibliothek zu"
          + " beraten. Die meisten Mitglieder waren sich einig, dass die Lesesäle eine bessere"
          + " Beleuchtung brauchen und die Kinderabteilung werktags länger geöffnet bleiben"
          + " sollte.";
  private static final String SPANISH =
      "El comité se reunió el martes para hablar del nuevo presupuesto de la biblioteca municipal."
          + " La mayoría de los miembros coincidió en que las salas de lectura necesitan mejor"
          + " iluminación y en que la sección infantil debería abrir hasta más tarde entre semana.";
  private static final String GIBBERISH =
      "Xqz vrotk plimb ashdf qwe zzkt mrrp oobl, fnarg sklee wubba trozz klimp vexa dorp plak"
          + " zindo rrek. Blomf tisk qarn yepp ulkko vrind zeshk naff glorp, kwix dramm oplu"
          + " threcc vamb; sprenk yodd ixil barrum quib.";

  private static final LanguageFilter ENGLISH_ONLY =
      new LanguageFilter(LanguageFilter.Settings.DEFAULTS);

  private static FilterVerdict apply(LanguageFilter filter, FilterDocument document) {
    return filter.apply(document);
  }

  private static String reason(FilterVerdict verdict) {
    return verdict instanceof FilterVerdict.Drop drop ? drop.reason() : "kept";
  }

  @Test
  void englishIsKeptWithItsLanguageAndScoreInTheMetadata() {
    FilterDocument document = FilterDocument.ofText(ENGLISH);
    assertThat(apply(ENGLISH_ONLY, document)).isEqualTo(FilterVerdict.keep());
    assertThat(document.metadata()).containsEntry("language", "en");
    assertThat(Double.parseDouble(document.metadata().get("language_score")))
        .isGreaterThanOrEqualTo(0.65);
    assertThat(document.signals())
        .containsKeys(
            "language.language_score", "language.allowed_language_score", "language.segments");
  }

  @ParameterizedTest
  @CsvSource({"fr, FRENCH", "de, GERMAN", "es, SPANISH"})
  void otherLanguagesAreRecognisedAndDroppedByTheEnglishFilter(String code, String which) {
    String text = Map.of("FRENCH", FRENCH, "GERMAN", GERMAN, "SPANISH", SPANISH).get(which);
    FilterDocument document = FilterDocument.ofText(text);
    FilterVerdict verdict = apply(ENGLISH_ONLY, document);
    assertThat(reason(verdict)).isEqualTo("language_not_allowed");
    assertThat(document.metadata()).containsEntry("language", code);
    assertThat(((FilterVerdict.Drop) verdict).detail()).contains(code, "[en]");

    LanguageFilter allowingIt =
        new LanguageFilter(new LanguageFilter.Settings(Set.of(code), 0.65, 1_000, 200, Set.of()));
    assertThat(apply(allowingIt, FilterDocument.ofText(text))).isEqualTo(FilterVerdict.keep());
  }

  @Test
  void gibberishIsNotTakenForEnglish() {
    FilterDocument document = FilterDocument.ofText(GIBBERISH);
    assertThat(reason(apply(ENGLISH_ONLY, document))).isNotEqualTo("kept");
    assertThat(document.metadata().get("language")).isNotEqualTo("en");
  }

  @Test
  void aMixedTextScoresItsShareAndFallsUnderTheThreshold() {
    FilterDocument document = FilterDocument.ofText(ENGLISH + " " + FRENCH + " " + GERMAN);
    FilterVerdict verdict = apply(ENGLISH_ONLY, document);
    double score = document.signals().get("language.language_score");
    double englishScore = document.signals().get("language.allowed_language_score");
    assertThat(document.signals()).containsEntry("language.segments", 3.0);
    assertThat(score).isBetween(0.25, 0.5);
    assertThat(englishScore).isBetween(0.25, 0.5);
    assertThat(reason(verdict)).isIn("language_low_confidence", "language_not_allowed");
  }

  @Test
  void theMinimumScoreIsInclusive() {
    String mixed = ENGLISH + " " + ENGLISH + " " + FRENCH;
    FilterDocument measured = FilterDocument.ofText(mixed);
    apply(ENGLISH_ONLY, measured);
    double englishShare = measured.signals().get("language.allowed_language_score");
    assertThat(englishShare).isStrictlyBetween(0.5, 1.0);

    FilterVerdict atTheShare = apply(withMinimum(englishShare), FilterDocument.ofText(mixed));
    FilterVerdict justAbove =
        apply(withMinimum(Math.nextUp(englishShare)), FilterDocument.ofText(mixed));
    assertThat(atTheShare).isEqualTo(FilterVerdict.keep());
    assertThat(reason(justAbove)).isEqualTo("language_low_confidence");
    assertThat(((FilterVerdict.Drop) justAbove).value()).isEqualTo(englishShare);
  }

  private static LanguageFilter withMinimum(double minimum) {
    return new LanguageFilter(
        new LanguageFilter.Settings(Set.of("en"), minimum, 1_000, 200, Set.of()));
  }

  @Test
  void onlyThePrefixIsRead() {
    String text = ENGLISH + " " + FRENCH.repeat(20);
    LanguageFilter shortPrefix =
        new LanguageFilter(new LanguageFilter.Settings(Set.of("en"), 0.65, 250, 200, Set.of()));
    FilterDocument document = FilterDocument.ofText(text);
    assertThat(apply(shortPrefix, document)).isEqualTo(FilterVerdict.keep());
    assertThat(document.signals()).containsEntry("language.segments", 1.0);
    assertThat(reason(apply(ENGLISH_ONLY, FilterDocument.ofText(text))))
        .isEqualTo("language_not_allowed");
  }

  @Test
  void aTextWithoutLettersIsUndetected() {
    FilterDocument document = FilterDocument.ofText("12 + 34 = 46; 3.14159 -- 2,718 !!!");
    assertThat(reason(apply(ENGLISH_ONLY, document))).isEqualTo("language_undetected");
    assertThat(document.metadata()).doesNotContainKey("language");
    assertThat(reason(apply(ENGLISH_ONLY, FilterDocument.ofText(""))))
        .isEqualTo("language_undetected");
  }

  @Test
  void anEmptyAllowedSetKeepsAnyConfidentLanguage() {
    LanguageFilter anyLanguage =
        new LanguageFilter(new LanguageFilter.Settings(Set.of(), 0.65, 1_000, 200, Set.of()));
    assertThat(apply(anyLanguage, FilterDocument.ofText(GERMAN))).isEqualTo(FilterVerdict.keep());
  }

  @Test
  void segmentsAreWholeSentencesOfAtLeastTheMinimumLength() {
    List<String> segments = LanguageFilter.segments("One. Two two. Three three three.\nFour", 8);
    assertThat(segments).containsExactly("One. Two two.", " Three three three.\nFour");
    assertThat(String.join("", segments)).isEqualTo("One. Two two. Three three three.\nFour");
    assertThat(LanguageFilter.segments("Short. Tail", 100)).containsExactly("Short. Tail");
  }

  @Test
  void unknownOrInconsistentLanguageCodesAreRefused() {
    assertThatThrownBy(() -> new LanguageFilter.Settings(Set.of("xx"), 0.65, 1_000, 200, Set.of()))
        .hasMessageContaining("xx");
    assertThatThrownBy(
            () -> new LanguageFilter.Settings(Set.of("en"), 0.65, 1_000, 200, Set.of("fr", "de")))
        .hasMessageContaining("[en]");
  }

  @Test
  void aLanguageOutsideTheCandidatesIsCalledByANeighboursName() {
    LanguageFilter threeLanguages =
        new LanguageFilter(
            new LanguageFilter.Settings(Set.of("en"), 0.65, 1_000, 200, Set.of("en", "fr", "de")));
    FilterDocument document = FilterDocument.ofText(SPANISH);
    // Spanish is not a candidate, so it is called by a candidate's name: why the default is all.
    apply(threeLanguages, document);
    assertThat(document.metadata().get("language")).isIn("en", "fr", "de");
  }

  // Real data: the shared folder beside the project, absent from a user's clone.

  private static String sharedText(String relative, boolean gzipped) throws IOException {
    Path file = SharedTestData.require(relative);
    try (InputStream in =
        gzipped ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void shakespeareIsEnglish() throws IOException {
    String play = sharedText(SharedTestData.TINY_SHAKESPEARE, false);
    FilterDocument document = FilterDocument.ofText(play.substring(0, 5_000));
    assertThat(apply(ENGLISH_ONLY, document)).isEqualTo(FilterVerdict.keep());
    assertThat(document.metadata()).containsEntry("language", "en");
  }

  @Test
  void theAragonesePageOfTheCommonCrawlSampleIsNotEnglish() throws IOException {
    String wet = sharedText("warc/whirlwind.warc.wet.gz", true);
    int conversion = wet.indexOf("WARC-Type: conversion");
    assertThat(conversion).isPositive();
    String page = wet.substring(wet.indexOf("\r\n\r\n", conversion) + 4);
    FilterDocument document =
        new FilterDocument("wet", "https://an.wikipedia.org/wiki/Escopete", page, Map.of());
    assertThat(reason(apply(ENGLISH_ONLY, document))).isEqualTo("language_not_allowed");
    assertThat(document.metadata().get("language")).isNotEqualTo("en");
  }
}
