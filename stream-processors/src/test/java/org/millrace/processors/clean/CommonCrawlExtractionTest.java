package org.millrace.processors.clean;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.reject.DocumentRejectedException;

/**
 * Main-content extraction on real crawled pages (the shared data's WARC files). The strings checked
 * were read by hand in the pages' HTML: the main text must be there, the menus and scripts not.
 */
class CommonCrawlExtractionTest {

  /** Generous: these tests are about what is extracted, not how fast, on a loaded machine. */
  private final TextExtractor extractor = new TextExtractor(Duration.ofSeconds(60));

  private final TextNormalizer normalizer = new TextNormalizer();

  @Test
  void commonCrawlHomePageKeepsItsPitchAndDropsMenusFooterAndScripts() throws Exception {
    TextExtractor.Extracted page =
        extractor.extract(CommonCrawlPages.page("jwarc-cc.warc.gz", "http://commoncrawl.org/"));
    String text = normalizer.normalize(page.text());

    assertThat(text)
        .contains(
            "We build and maintain an open repository of web crawl data that can be accessed and"
                + " analyzed by anyone.")
        .contains("Please donate today, so we can continue to provide you");
    assertThat(text)
        .doesNotContain("Toggle navigation") // the navbar's button
        .doesNotContain("Skip to content") // screen-reader link
        .doesNotContain("Job Opportunities") // drop-down menu
        .doesNotContain("Terms Of Use") // footer menu
        .doesNotContain("Common Crawl on Twitter") // footer
        .doesNotContain("_gaq") // Google Analytics script
        .doesNotContain("wp-smiley"); // inline style
    assertThat(page.title()).isEqualTo("Common Crawl");
    assertThat(page.language()).isEqualTo("en-US");
  }

  @Test
  void aragoneseWikipediaArticleKeepsItsProseWithoutAnEnglishStopWordList() throws Exception {
    TextExtractor.Extracted page =
        extractor.extract(
            CommonCrawlPages.page("whirlwind.warc.gz", "https://an.wikipedia.org/wiki/Escopete"));
    String text = normalizer.normalize(page.text());

    assertThat(text)
        .contains("Ye situato a 860 metros d'altaria sobre o ran d'a mar")
        .contains("Escopete ye citato en as Relaciones Topográficas")
        .contains("Ilesia parroquial de l'Asunción");
    assertThat(text)
        .doesNotContain("Menú principal") // main menu
        .doesNotContain("Creyar cuenta") // user links
        .doesNotContain("Zaguers cambeos") // sidebar
        .doesNotContain("modificar o codigo") // section edit links
        .doesNotContain("Politica de privacidat") // footer
        .doesNotContain("RLCONF"); // MediaWiki's inline script
    assertThat(page.title()).startsWith("Escopete");
    assertThat(page.language()).isEqualTo("an");
  }

  @Test
  void ianaHomePageKeepsItsNewsAndDropsItsLinkMenus() throws Exception {
    String text =
        normalizer.normalize(
            extractor
                .extract(
                    CommonCrawlPages.page(
                        "warcio-example-iana.org-chunked.warc", "http://www.iana.org/"))
                .text());

    assertThat(text)
        .contains("a new key signing key for the DNS root zone has been generated")
        .contains("we invited our customers to participate");
    assertThat(text).doesNotContain("Root Zone Management").doesNotContain("Abuse Information");
  }

  @Test
  void everyHtmlPageGivesNfcTextWithoutControlCharactersOrAReason() throws Exception {
    List<RawDocument> pages =
        CommonCrawlPages.htmlResponses(
            "jwarc-cc.warc.gz",
            "whirlwind.warc.gz",
            "warcio-example.warc.gz",
            "warcio-example-iana.org-chunked.warc");

    assertThat(pages).hasSizeGreaterThanOrEqualTo(4);
    for (RawDocument page : pages) {
      String text;
      try {
        text = normalizer.normalize(extractor.extract(page).text());
      } catch (DocumentRejectedException rejected) {
        // a reason is an answer too; nothing else may escape
        assertThat(rejected.detail()).as(page.getUrl()).isNotBlank();
        continue;
      }
      assertThat(text).as(page.getUrl()).isNotBlank().doesNotContainPattern("[\\p{Cc}&&[^\\n\\t]]");
      assertThat(Normalizer.isNormalized(text, Normalizer.Form.NFC)).as(page.getUrl()).isTrue();
    }
  }
}
