package org.millrace.producers.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.millrace.producers.crawl.UrlNormalizer.QueryHandling;

class UrlNormalizerTest {

  private final UrlNormalizer keep = new UrlNormalizer(QueryHandling.KEEP);

  @Test
  void spellingsOfOnePageBecomeOne() {
    assertThat(keep.normalize("HTTP://Example.ORG:80/a/./b/../c.html#section"))
        .contains("http://example.org/a/c.html");
    assertThat(keep.normalize("https://example.org:443")).contains("https://example.org/");
    assertThat(keep.normalize("http://example.org.:8080/%7euser/%2f?"))
        .contains("http://example.org:8080/~user/%2F");
    assertThat(keep.normalize("http://user:secret@example.org/")).contains("http://example.org/");
  }

  @Test
  void anIpv4AddressInAnySpellingIsWrittenAsFourDecimals() {
    for (String spelling :
        List.of(
            "http://2130706433/",
            "http://0x7f.0.0.1/",
            "http://0X7F.0.0.1/",
            "http://0177.0.0.1/",
            "http://127.1/",
            "http://127.0.1/",
            "http://0x7f000001/",
            "http://127.0.0.1./",
            "http://017700000001/")) {
      assertThat(keep.normalize(spelling)).as(spelling).contains("http://127.0.0.1/");
    }
    assertThat(keep.normalize("http://0xa9.0xfe.0251.254:8080/x"))
        .contains("http://169.254.169.254:8080/x");
    assertThat(keep.normalize("http://[::FFFF:7F00:1]/")).contains("http://[::ffff:7f00:1]/");
  }

  @Test
  void aHostThatEndsInANumberButIsNoIpv4AddressIsNoUrl() {
    for (String bad :
        List.of(
            "http://256.0.0.1/",
            "http://1.2.3.4.5/",
            "http://0x100.0.0.1/",
            "http://4294967296/",
            "http://08.0.0.1/",
            "http://example.123/",
            "http://1..2/")) {
      assertThat(keep.normalize(bad)).as(bad).isEmpty();
    }
    assertThat(keep.normalize("http://123.example/")).contains("http://123.example/");
    assertThat(keep.normalize("http://0x7f.example/")).contains("http://0x7f.example/");
  }

  @Test
  void dotSegmentsAboveTheRootAreDropped() {
    assertThat(keep.normalize("http://example.org/../../a/..")).contains("http://example.org/");
    assertThat(UrlNormalizer.removeDotSegments("/a/b/c/./../../g")).isEqualTo("/a/g");
  }

  @Test
  void linksAreResolvedAgainstThePageAndIllegalCharactersEscaped() {
    URI page = URI.create("http://example.org/docs/guide/index.html");
    assertThat(keep.normalize(page, "../api/a b.html"))
        .contains("http://example.org/docs/api/a%20b.html");
    assertThat(keep.normalize(page, "/wiki/Zürich"))
        .contains("http://example.org/wiki/Z%C3%BCrich");
    assertThat(keep.normalize(page, "100%.html"))
        .contains("http://example.org/docs/guide/100%25.html");
    assertThat(keep.normalize("http://bücher.example/")).contains("http://xn--bcher-kva.example/");
  }

  @Test
  void aLinkWithoutAPathKeepsThePagesPath() {
    // RFC 3986 section 5.2.2, as browsers and jsoup; java.net.URI alone gives the folder
    URI page = URI.create("http://example.org/docs/list.html?page=1");
    assertThat(keep.normalize(page, "")).contains("http://example.org/docs/list.html?page=1");
    assertThat(keep.normalize(page, "?page=2"))
        .contains("http://example.org/docs/list.html?page=2");
    assertThat(keep.normalize(page, "#top")).contains("http://example.org/docs/list.html?page=1");
  }

  @Test
  void theHostIsReadOffANormalisedUrl() {
    assertThat(UrlNormalizer.hostOf("http://example.org/a")).isEqualTo("example.org");
    assertThat(UrlNormalizer.hostOf("https://example.org:8443/a?b")).isEqualTo("example.org");
    assertThat(UrlNormalizer.hostOf("http://[::1]:8080/")).isEqualTo("[::1]");
    assertThat(UrlNormalizer.hostOf("http://127.0.0.1/")).isEqualTo("127.0.0.1");
    assertThat(UrlNormalizer.hostOf("mailto:a@b")).isEmpty();
  }

  @Test
  void onlyHttpAndHttpsWithAHostAreKept() {
    assertThat(keep.normalize("mailto:someone@example.org")).isEmpty();
    assertThat(keep.normalize(URI.create("http://example.org/"), "javascript:void(0)")).isEmpty();
    assertThat(keep.normalize("ftp://example.org/file")).isEmpty();
    assertThat(keep.normalize("http:///path")).isEmpty();
  }

  @Test
  void queriesAreKeptSortedOrDropped() {
    String url = "http://example.org/search?q=b&lang=en";
    assertThat(keep.normalize(url)).contains(url);
    assertThat(new UrlNormalizer(QueryHandling.SORT).normalize(url))
        .contains("http://example.org/search?lang=en&q=b");
    assertThat(new UrlNormalizer(QueryHandling.DROP).normalize(url))
        .contains("http://example.org/search");
  }
}
