package org.millrace.processors.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlKeyTest {

  @Test
  void spellingsOfOneAddressMeet() {
    String key = UrlKey.of("https://example.org/a?x=1").orElseThrow();

    assertThat(UrlKey.of("HTTPS://Example.ORG:443/a?x=1#section")).hasValue(key);
    assertThat(UrlKey.of("https://example.org/a?utm_source=feed&x=1&utm_medium=rss")).hasValue(key);
    assertThat(UrlKey.of("http://example.org:80")).hasValue("http://example.org/");
  }

  @Test
  void differentAddressesStayApart() {
    assertThat(UrlKey.of("https://example.org/a?x=1"))
        .isNotEqualTo(UrlKey.of("https://example.org/a?x=2"));
    assertThat(UrlKey.of("https://example.org/A")).isNotEqualTo(UrlKey.of("https://example.org/a"));
    assertThat(UrlKey.of("https://example.org:8443/")).hasValue("https://example.org:8443/");
  }

  @Test
  void notAWebUrlHasNoKey() {
    assertThat(UrlKey.of(null)).isEmpty();
    assertThat(UrlKey.of("  ")).isEmpty();
    assertThat(UrlKey.of("file:///etc/passwd")).isEmpty();
    assertThat(UrlKey.of("not a url at all")).isEmpty();
    assertThat(UrlKey.of("https://exa mple.org/")).isEmpty();
  }
}
