package org.millrace.producers.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.producers.crawl.CrawlFixtures.RecordingSink;
import org.millrace.producers.crawl.CrawlScope.Kind;
import org.millrace.schemas.RawDocument;

/** The crawler against a real site: jsoup's javadoc served by {@link StaticSiteServer}. */
class CrawlerSiteTest {

  private static Path jar;

  @TempDir Path crawlFolder;
  private final List<StaticSiteServer.Request> requests =
      Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void findJar() throws IOException {
    jar = CrawlFixtures.javadocJar();
  }

  @Test
  void everyReachablePageIsFetchedExactlyOnce() throws Exception {
    Set<String> reachable = reachableFrom(jar, "/index.html");
    RecordingSink sink = new RecordingSink();
    CrawlSummary summary;
    try (StaticSiteServer site = StaticSiteServer.start(jar, 0, null, requests::add)) {
      summary = crawl(site, CrawlFixtures.fast("all"), sink);
    }

    assertThat(reachable).hasSizeGreaterThan(100);
    List<String> served =
        requests.stream()
            .filter(r -> r.status() == 200)
            .map(StaticSiteServer.Request::target)
            .toList();
    assertThat(served).doesNotHaveDuplicates();
    assertThat(new HashSet<>(served)).isEqualTo(reachable);
    long html = reachable.stream().filter(t -> t.endsWith(".html")).count();
    assertThat(sink.documents).hasSize((int) html);
    assertThat(summary.documents()).isEqualTo(html);
    RawDocument index =
        sink.documents.stream()
            .filter(d -> d.getUrl().endsWith("/index.html"))
            .findFirst()
            .orElseThrow();
    assertThat(index.getId()).isEqualTo(Crawler.idOf(index.getUrl()));
    assertThat(index.getContentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(index.getMetadata())
        .containsEntry(Crawler.META_DEPTH, "0")
        .containsEntry(Crawler.META_STATUS, "200")
        .containsEntry(Crawler.META_CRAWL_ID, "all")
        .containsEntry(Crawler.META_TRUNCATED, "false");
  }

  @Test
  void robotsTxtDisallowIsHonoured() throws Exception {
    String forbidden = "/org/jsoup/select/";
    assertThat(reachableFrom(jar, "/index.html")).anyMatch(t -> t.startsWith(forbidden));
    String robots = "User-agent: millracebot\nDisallow: " + forbidden + "\n";
    CrawlSummary summary;
    try (StaticSiteServer site = StaticSiteServer.start(jar, 0, robots, requests::add)) {
      summary = crawl(site, CrawlFixtures.fast("robots"), new RecordingSink());
    }
    assertThat(requests)
        .extracting(StaticSiteServer.Request::target)
        .noneMatch(t -> t.startsWith(forbidden));
    assertThat(requests).extracting(StaticSiteServer.Request::target).contains("/robots.txt");
    assertThat(summary.skipped().get("robots")).isPositive();
  }

  @Test
  void crawlDelayKeepsRequestsToTheHostApart() throws Exception {
    String robots = "User-agent: *\nCrawl-delay: 0.2\n";
    CrawlSettings settings =
        CrawlFixtures.with(CrawlFixtures.fast("delay"), 100, 5, Duration.ZERO, 1);
    try (StaticSiteServer site = StaticSiteServer.start(jar, 0, robots, requests::add)) {
      crawl(site, settings, new RecordingSink());
    }
    List<Long> arrivals =
        requests.stream().map(StaticSiteServer.Request::nanoTime).sorted().toList();
    assertThat(arrivals).hasSize(6); // robots.txt and five pages
    for (int i = 1; i < arrivals.size(); i++) {
      assertThat(arrivals.get(i) - arrivals.get(i - 1))
          .as("gap before request %d", i)
          .isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
    }
  }

  @Test
  void aRestartedCrawlContinuesWithoutFetchingAPageAgain() throws Exception {
    RecordingSink first = new RecordingSink();
    RecordingSink second = new RecordingSink();
    CrawlSummary again;
    try (StaticSiteServer site = StaticSiteServer.start(jar, 0, null, requests::add)) {
      crawl(
          site, CrawlFixtures.with(CrawlFixtures.fast("resume"), 100, 30, Duration.ZERO, 4), first);
      again =
          crawl(
              site,
              CrawlFixtures.with(CrawlFixtures.fast("resume"), 100, 70, Duration.ZERO, 4),
              second);
    }
    List<String> pages =
        requests.stream()
            .map(StaticSiteServer.Request::target)
            .filter(t -> !t.equals("/robots.txt"))
            .toList();
    assertThat(pages).hasSize(70).doesNotHaveDuplicates();
    assertThat(again.pagesFetched()).isEqualTo(40);
    assertThat(again.pagesFetchedInAllRuns()).isEqualTo(70);
    Set<String> firstUrls =
        first.documents.stream().map(RawDocument::getUrl).collect(Collectors.toSet());
    assertThat(second.documents)
        .extracting(RawDocument::getUrl)
        .doesNotContainAnyElementsOf(firstUrls);
  }

  private CrawlSummary crawl(StaticSiteServer site, CrawlSettings settings, RecordingSink sink)
      throws Exception {
    String seed = site.root() + "index.html";
    Crawler crawler =
        new Crawler(
            settings,
            CrawlScope.of(Kind.HOST, List.of(seed), List.of(), List.of()),
            List.of(seed),
            crawlFolder.resolve(settings.crawlId()),
            sink,
            1024);
    return crawler.run();
  }

  /**
   * The request targets (path and query) of the jar's files that links lead to from the start,
   * following what the crawler follows (a, area, frame, iframe), computed with jsoup alone.
   */
  static Set<String> reachableFrom(Path jar, String start) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry entry : Collections.list(zip.entries())) {
        try (InputStream in = zip.getInputStream(entry)) {
          files.put("/" + entry.getName(), in.readAllBytes());
        }
      }
    }
    Set<String> reachable = new HashSet<>(Set.of(start));
    Deque<String> queue = new ArrayDeque<>(reachable);
    Map<String, String> attributes =
        Map.of("a", "href", "area", "href", "frame", "src", "iframe", "src");
    while (!queue.isEmpty()) {
      String target = queue.poll();
      String path = target.split("\\?", 2)[0];
      if (!path.endsWith(".html")) {
        continue;
      }
      var page =
          Jsoup.parse(new String(files.get(path), StandardCharsets.UTF_8), "http://site" + target);
      for (Map.Entry<String, String> tag : attributes.entrySet()) {
        for (Element link : page.select(tag.getKey() + "[" + tag.getValue() + "]")) {
          String absolute = link.absUrl(tag.getValue());
          URI uri;
          try {
            uri = URI.create(absolute);
          } catch (IllegalArgumentException e) {
            continue;
          }
          if (!"site".equals(uri.getHost()) || !files.containsKey(uri.getRawPath())) {
            continue;
          }
          String next =
              uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
          if (reachable.add(next)) {
            queue.add(next);
          }
        }
      }
    }
    return reachable;
  }
}
