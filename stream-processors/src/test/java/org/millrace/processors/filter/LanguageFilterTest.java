package org.millrace.processors.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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
    assertThat(Double.parseDouble(document.metadata().get("language_score"))).isGreaterThan(0.99);
    assertThat(document.signals())
        .containsKeys("language.language_score", "language.allowed_language_score");
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
        new LanguageFilter(new LanguageFilter.Settings(Set.of(code), 0.65, 1_000));
    assertThat(apply(allowingIt, FilterDocument.ofText(text))).isEqualTo(FilterVerdict.keep());
  }

  @Test
  void gibberishIsNotTakenForEnglish() {
    FilterDocument document = FilterDocument.ofText(GIBBERISH);
    assertThat(reason(apply(ENGLISH_ONLY, document))).isNotEqualTo("kept");
    assertThat(document.metadata().get("language")).isNotEqualTo("en");
  }

  @Test
  void aGermanTextIsGermanWithAHighProbabilityAndEnglishWithALowOne() {
    FilterDocument document = FilterDocument.ofText(GERMAN);
    apply(ENGLISH_ONLY, document);
    assertThat(document.metadata()).containsEntry("language", "de");
    assertThat(document.signals().get("language.language_score")).isGreaterThan(0.9);
    assertThat(document.signals().get("language.allowed_language_score")).isLessThan(0.1);
  }

  @Test
  void aTextHalfEnglishHalfFrenchIsNotConfidentlyEnglish() {
    FilterDocument document = FilterDocument.ofText(ENGLISH + " " + FRENCH);
    FilterVerdict verdict = apply(ENGLISH_ONLY, document);
    double score = document.signals().get("language.language_score");
    double englishScore = document.signals().get("language.allowed_language_score");
    // The probability is split between the two languages, neither is sure.
    assertThat(score).isBetween(0.5, 0.9);
    assertThat(englishScore).isBetween(0.1, 0.65);
    assertThat(document.metadata().get("language")).isIn("en", "fr");
    assertThat(reason(verdict)).isIn("language_low_confidence", "language_not_allowed");
  }

  @Test
  void gibberishGetsNoLanguageWithConfidence() {
    FilterDocument document = FilterDocument.ofText(GIBBERISH);
    apply(ENGLISH_ONLY, document);
    assertThat(document.signals().get("language.language_score")).isLessThan(0.65);
  }

  @Test
  void theSameTextAlwaysGetsTheSameScore() {
    String mixed = ENGLISH + " " + FRENCH;
    FilterDocument first = FilterDocument.ofText(mixed);
    apply(ENGLISH_ONLY, first);
    for (int i = 0; i < 5; i++) {
      FilterDocument again = FilterDocument.ofText(mixed);
      apply(new LanguageFilter(LanguageFilter.Settings.DEFAULTS), again);
      assertThat(again.signals()).isEqualTo(first.signals());
    }
  }

  @Test
  void theMinimumScoreIsInclusive() {
    String mixed = ENGLISH + " " + FRENCH;
    FilterDocument measured = FilterDocument.ofText(mixed);
    apply(new LanguageFilter(new LanguageFilter.Settings(Set.of("en"), 0, 1_000)), measured);
    double englishShare = measured.signals().get("language.allowed_language_score");
    assertThat(englishShare).isStrictlyBetween(0.1, 1.0);
    assertThat(measured.metadata()).containsEntry("language", "fr");

    FilterVerdict atTheShare = apply(withMinimum(englishShare), FilterDocument.ofText(mixed));
    FilterVerdict justAbove =
        apply(withMinimum(Math.nextUp(englishShare)), FilterDocument.ofText(mixed));
    assertThat(atTheShare).isEqualTo(FilterVerdict.keep());
    assertThat(reason(justAbove)).isEqualTo("language_not_allowed");
    assertThat(((FilterVerdict.Drop) justAbove).value()).isEqualTo(englishShare);
  }

  private static LanguageFilter withMinimum(double minimum) {
    return new LanguageFilter(new LanguageFilter.Settings(Set.of("en"), minimum, 1_000));
  }

  @Test
  void onlyThePrefixIsRead() {
    String text = ENGLISH + " " + FRENCH.repeat(20);
    LanguageFilter shortPrefix =
        new LanguageFilter(new LanguageFilter.Settings(Set.of("en"), 0.65, 250));
    FilterDocument document = FilterDocument.ofText(text);
    assertThat(apply(shortPrefix, document)).isEqualTo(FilterVerdict.keep());
    assertThat(reason(apply(ENGLISH_ONLY, FilterDocument.ofText(text))))
        .isEqualTo("language_not_allowed");
  }

  @Test
  void aTextWithoutLettersIsUndetected() {
    FilterDocument document = FilterDocument.ofText("12 + 34 = 46; 3.14159 -- 2,718 !!!");
    assertThat(reason(apply(ENGLISH_ONLY, document))).isEqualTo("language_undetected");
    assertThat(document.metadata()).doesNotContainKey("language");
    assertThat(document.signals()).containsEntry("language.language_score", 0.0);
    FilterVerdict empty = apply(ENGLISH_ONLY, FilterDocument.ofText(""));
    assertThat(reason(empty)).isEqualTo("language_undetected");
    assertThat(((FilterVerdict.Drop) empty).detail()).isEqualTo("The text is empty.");
  }

  @Test
  void anEmptyAllowedSetKeepsAnyConfidentLanguage() {
    LanguageFilter anyLanguage =
        new LanguageFilter(new LanguageFilter.Settings(Set.of(), 0.65, 1_000));
    assertThat(apply(anyLanguage, FilterDocument.ofText(GERMAN))).isEqualTo(FilterVerdict.keep());
  }

  @Test
  void unknownLanguageCodesAndScoresThatAreNoProbabilityAreRefused() {
    assertThatThrownBy(() -> new LanguageFilter.Settings(Set.of("xx"), 0.65, 1_000))
        .hasMessageContaining("'xx'")
        .hasMessageContaining("en");
    assertThatThrownBy(() -> new LanguageFilter.Settings(Set.of("en"), 65, 1_000))
        .hasMessageContaining("probability");
    assertThat(new LanguageFilter.Settings(Set.of(" DE ", "zh"), 0.65, 1_000).allowedLanguages())
        .containsExactlyInAnyOrder("de", "zh");
  }

  @Test
  void chineseInEitherScriptIsZhAndNotKorean() {
    LanguageFilter chinese =
        new LanguageFilter(new LanguageFilter.Settings(Set.of("zh"), 0.65, 1_000));
    for (String text :
        List.of(
            "委员会周二开会讨论市图书馆的新预算。大多数成员同意阅览室需要更好的照明，儿童区应在工作日延长开放时间。",
            // Without the script rule, Korean at 0.86: its profile shares the Han characters.
            "委員會週二開會討論市圖書館的新預算。大多數成員同意閱覽室需要更好的照明，兒童區應在工作日延長開放時間。")) {
      FilterDocument document = FilterDocument.ofText(text);
      assertThat(apply(chinese, document)).isEqualTo(FilterVerdict.keep());
      assertThat(document.metadata()).containsEntry("language", "zh");
    }
  }

  @Test
  void koreanAndJapaneseAreRuledOutOnlyWithoutTheirScript() {
    Map<String, Double> hanOnly = new HashMap<>(Map.of("ko", 0.6, "zh", 0.3, "ja", 0.1));
    LanguageFilter.excludeLanguagesWithoutTheirScript(hanOnly, "委員會週二開會");
    assertThat(hanOnly).containsOnlyKeys("zh");
    assertThat(hanOnly.get("zh")).isCloseTo(1.0, offset(1e-9));

    Map<String, Double> korean = new HashMap<>(Map.of("ko", 0.6, "zh", 0.4));
    LanguageFilter.excludeLanguagesWithoutTheirScript(korean, "위원회는 화요일 會議");
    assertThat(korean).isEqualTo(Map.of("ko", 0.6, "zh", 0.4));

    Map<String, Double> onlyKorean = new HashMap<>(Map.of("ko", 0.9));
    LanguageFilter.excludeLanguagesWithoutTheirScript(onlyKorean, "委員會");
    assertThat(onlyKorean).isEqualTo(Map.of("ko", 0.9));
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
