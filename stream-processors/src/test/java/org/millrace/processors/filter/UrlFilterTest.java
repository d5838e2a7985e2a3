package org.millrace.processors.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlFilterTest {

  @TempDir Path lists;

  private UrlFilter filter;

  @BeforeEach
  void readListsFromFiles() throws IOException {
    Path domains =
        Files.writeString(
            lists.resolve("domains.txt"),
            "# blocked hosts\n\nexample.com\n  Spam.Example.NET.  \n# example.org is fine\n");
    Path substrings = Files.writeString(lists.resolve("urls.txt"), "/casino/\n");
    Path banned = Files.writeString(lists.resolve("banned.txt"), "# hard\nxxx\n");
    Path soft = Files.writeString(lists.resolve("soft.txt"), "cheap\npills\nfree\n");
    filter = UrlFilter.fromFiles(domains, substrings, banned, soft, 2);
  }

  private String reasonFor(String url) {
    FilterVerdict verdict = filter.apply(new FilterDocument("d", url, "text", Map.of()));
    return verdict instanceof FilterVerdict.Drop drop ? drop.reason() : "kept";
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://example.com/",
        "http://www.example.com/page",
        "HTTPS://Deep.Sub.EXAMPLE.com/Path",
        "http://user:pw@a.example.com:8080/x?y=1",
        "https://example.com./trailing-dot",
        "https://spam.example.net/offers",
        "https://a.spam.example.net",
      })
  void aBlockedDomainDropsItsHostAndItsSubdomains(String url) {
    assertThat(reasonFor(url)).isEqualTo("url_blocked_domain");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://notexample.com/",
        "https://example.com.au/",
        "https://example.org/",
        "https://other.org/?ref=example.com",
        "https://example.net/",
      })
  void similarHostsAndCommentedEntriesAreNotBlocked(String url) {
    assertThat(reasonFor(url)).isEqualTo("kept");
  }

  @Test
  void aBlockedSubstringDropsWhereverItAppears() {
    assertThat(reasonFor("https://games.org/casino/poker")).isEqualTo("url_blocked_substring");
    assertThat(reasonFor("https://games.org/CASINO/poker")).isEqualTo("url_blocked_substring");
    assertThat(reasonFor("https://games.org/casinos")).isEqualTo("kept");
  }

  @Test
  void aBannedWordMustBeAWholeWordOfTheUrl() {
    assertThat(reasonFor("https://site.org/free-XXX-videos")).isEqualTo("url_banned_word");
    assertThat(reasonFor("https://site.org/xxxl-shirts")).isEqualTo("kept");
  }

  @ParameterizedTest
  @CsvSource({
    "https://shop.org/cheap, kept",
    "https://shop.org/cheap/cheap-cheap, kept",
    "https://shop.org/cheap_pills, url_soft_banned_words",
    "https://free.shop.org/cheap?pills=1, url_soft_banned_words",
  })
  void softBannedWordsDropFromTheThresholdOn(String url, String reason) {
    assertThat(reasonFor(url)).isEqualTo(reason);
  }

  @Test
  void signalsAndTheDropSayWhatMatched() {
    FilterDocument document =
        new FilterDocument("d", "https://shop.org/free/cheap/pills", "text", Map.of());
    FilterVerdict.Drop drop = (FilterVerdict.Drop) filter.apply(document);
    assertThat(drop.value()).isEqualTo(3.0);
    assertThat(drop.threshold()).isEqualTo(2.0);
    assertThat(drop.detail()).contains("[cheap, free, pills]");
    assertThat(document.signals())
        .containsEntry("url.blocked_domain", 0.0)
        .containsEntry("url.blocked_substring", 0.0)
        .containsEntry("url.banned_words", 0.0)
        .containsEntry("url.soft_banned_words", 3.0);
  }

  @Test
  void documentsWithoutAUrlAreKept() {
    assertThat(filter.apply(FilterDocument.ofText("no url here"))).isEqualTo(FilterVerdict.keep());
  }

  @Test
  void theDefaultsBlockNothing() {
    UrlFilter defaults = new UrlFilter(UrlFilter.Settings.DEFAULTS);
    FilterDocument document =
        new FilterDocument("d", "https://xxx.example.com/casino/cheap-pills", "t", Map.of());
    assertThat(defaults.apply(document)).isEqualTo(FilterVerdict.keep());
  }

  @Test
  void aMissingListFileIsNamedInTheError() {
    Path missing = lists.resolve("no-such-domains.txt");
    assertThatThrownBy(() -> UrlFilter.fromFiles(missing, null, null, null, 2))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("URL filter list")
        .hasMessageContaining(missing.toAbsolutePath().toString());
  }

  @ParameterizedTest
  @CsvSource({
    "http://[::1]:8080/x, [::1]",
    "example.com/path, example.com",
    "https://a.b.c?q=1, a.b.c",
    "https://host#frag, host",
    "https://u@h@real.host/, real.host",
  })
  void theHostIsReadWithoutAUriParser(String url, String host) {
    assertThat(UrlFilter.host(url)).isEqualTo(host);
  }
}
