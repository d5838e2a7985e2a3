package org.millrace.producers.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
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
