package org.millrace.producers.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.millrace.producers.crawl.CrawlScope.Kind;

class CrawlScopeTest {

  private static final List<String> SEEDS = List.of("https://docs.example.co.uk/guide/");

  @Test
  void hostKeepsToTheSeedsHosts() {
    CrawlScope scope = CrawlScope.of(Kind.HOST, SEEDS, List.of(), List.of());
    assertThat(scope.allows("https://docs.example.co.uk/other")).isTrue();
    assertThat(scope.allows("http://docs.example.co.uk/other")).isTrue();
    assertThat(scope.allows("https://www.example.co.uk/")).isFalse();
  }

  @Test
  void domainKeepsToTheRegisteredDomainNotThePublicSuffix() {
    CrawlScope scope = CrawlScope.of(Kind.DOMAIN, SEEDS, List.of(), List.of());
    assertThat(scope.allows("https://www.example.co.uk/")).isTrue();
    assertThat(scope.allows("https://example.co.uk/")).isTrue();
    assertThat(scope.allows("https://other.co.uk/")).isFalse();
  }

  @Test
  void prefixKeepsToTheSeedsFolders() {
    CrawlScope scope = CrawlScope.of(Kind.PREFIX, SEEDS, List.of(), List.of());
    assertThat(scope.allows("https://docs.example.co.uk/guide/page.html")).isTrue();
    assertThat(scope.allows("https://docs.example.co.uk/api/page.html")).isFalse();
  }

  @Test
  void includeAndExcludePatternsNarrowTheScope() {
    CrawlScope scope =
        CrawlScope.of(Kind.ANY, SEEDS, List.of("\\.html$", "/$"), List.of("/private/"));
    assertThat(scope.allows("https://anywhere.example/page.html")).isTrue();
    assertThat(scope.allows("https://anywhere.example/")).isTrue();
    assertThat(scope.allows("https://anywhere.example/logo.png")).isFalse();
    assertThat(scope.allows("https://anywhere.example/private/page.html")).isFalse();
  }
}
