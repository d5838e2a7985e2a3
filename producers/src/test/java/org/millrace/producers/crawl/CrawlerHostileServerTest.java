package org.millrace.producers.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.millrace.producers.crawl.CrawlFixtures.html;
import static org.millrace.producers.crawl.CrawlFixtures.redirect;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.producers.crawl.CrawlFixtures.RecordingSink;
import org.millrace.producers.crawl.CrawlScope.Kind;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.RejectedDocument;

/** The crawler against a server that does everything wrong. */
class CrawlerHostileServerTest {

  private static final byte[] PNG = {
    (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13
  };

  @TempDir Path crawlFolder;
  private HttpServer server;
  private String root;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
    root = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    requests.add(path);
    try (exchange) {
      if (path.equals("/")) {
        html(
            exchange,
            links(
                "/loop/a",
                "/chain/0",
                "/endless",
                "/stall",
                "/missing",
                "/broken",
                "/binary",
                "/logo.png",
                "/trap/"));
      } else if (path.equals("/loop/a")) {
        redirect(exchange, "/loop/b");
      } else if (path.equals("/loop/b")) {
        redirect(exchange, "/loop/a");
      } else if (path.startsWith("/chain/")) {
        redirect(exchange, "/chain/" + (Integer.parseInt(path.substring(7)) + 1));
      } else if (path.equals("/endless")) {
        exchange.getResponseHeaders().set("Content-Type", "text/html");
        exchange.sendResponseHeaders(200, 0);
        byte[] chunk = "<p>more and more</p>\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = exchange.getResponseBody()) {
          while (true) {
            out.write(chunk); // until the crawler hangs up
          }
        } catch (IOException hungUp) {
          // expected
        }
      } else if (path.equals("/stall")) {
        exchange.getResponseHeaders().set("Content-Type", "text/html");
        exchange.sendResponseHeaders(200, 0);
        exchange
            .getResponseBody()
            .write("<html><p>and then nothing".getBytes(StandardCharsets.UTF_8));
        exchange.getResponseBody().flush();
        sleep(3_000);
      } else if (path.equals("/broken")) {
        exchange.sendResponseHeaders(500, -1);
      } else if (path.equals("/binary")) {
        exchange.getResponseHeaders().set("Content-Type", "text/html");
        exchange.sendResponseHeaders(200, PNG.length);
        exchange.getResponseBody().write(PNG);
      } else if (path.equals("/logo.png")) {
        exchange.getResponseHeaders().set("Content-Type", "image/png");
        exchange.sendResponseHeaders(200, PNG.length);
        exchange.getResponseBody().write(PNG);
      } else if (path.startsWith("/trap/")) {
        html(exchange, links(path + "0/", path + "1/")); // a spider trap: links without end
      } else {
        exchange.sendResponseHeaders(404, -1);
      }
    }
  }

  @Test
  void everyHostileAnswerEndsAsItShould() throws Exception {
    RecordingSink sink = new RecordingSink();
    CrawlSummary summary =
        crawl(CrawlFixtures.with(CrawlFixtures.fast("hostile"), 3, 1000, Duration.ZERO, 8), sink);

    Map<String, Long> counts =
        requests.stream()
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    // redirect loop: each hop once, then it ends at a URL already queued
    assertThat(counts).containsEntry("/loop/a", 1L).containsEntry("/loop/b", 1L);
    assertThat(summary.skipped()).containsEntry("redirect_seen", 1L);
    // endless redirects: the requested URL and maxRedirects (3) hops, then fetch_failed
    assertThat(counts.keySet().stream().filter(p -> p.startsWith("/chain/"))).hasSize(4);
    // 404 once; 500 once and once more (retries = 1)
    assertThat(counts).containsEntry("/missing", 1L).containsEntry("/broken", 2L);
    // the trap, cut at depth 3: /trap/ is depth 1, then 2 and 4 pages
    assertThat(counts.keySet().stream().filter(p -> p.startsWith("/trap/"))).hasSize(7);
    assertThat(requests).doesNotContain("/trap/0/0/0/");

    Map<String, String> reasons =
        sink.rejections.stream()
            .collect(Collectors.toMap(r -> path(r), RejectedDocument::getReason));
    assertThat(reasons)
        .containsEntry("/chain/3", "fetch_failed")
        .containsEntry("/stall", "fetch_failed")
        .containsEntry("/missing", "http_error")
        .containsEntry("/broken", "http_error")
        .containsEntry("/binary", "binary_payload")
        .containsEntry("/logo.png", "unsupported_content_type");
    assertThat(sink.rejections).allSatisfy(r -> assertThat(r.getStage()).isEqualTo("crawl"));

    RawDocument endless =
        sink.documents.stream()
            .filter(d -> d.getUrl().endsWith("/endless"))
            .findFirst()
            .orElseThrow();
    assertThat(endless.getBody().remaining()).isEqualTo(64 * 1024);
    assertThat(endless.getMetadata()).containsEntry(Crawler.META_TRUNCATED, "true");
    assertThat(summary.truncated()).isEqualTo(1);
    assertThat(sink.documents)
        .extracting(d -> path(d.getUrl()))
        .containsExactlyInAnyOrder(
            "/",
            "/endless",
            "/trap/",
            "/trap/0/",
            "/trap/1/",
            "/trap/0/0/",
            "/trap/0/1/",
            "/trap/1/0/",
            "/trap/1/1/");
  }

  @Test
  void aSpiderTrapIsBoundedByThePageLimit() throws Exception {
    CrawlSettings settings =
        CrawlFixtures.with(CrawlFixtures.fast("trap"), 1_000, 25, Duration.ZERO, 2);
    CrawlSummary summary = crawl(settings, new RecordingSink(), root + "/trap/");
    assertThat(requests.stream().filter(p -> !p.equals("/robots.txt"))).hasSize(25);
    assertThat(summary.pagesFetched()).isEqualTo(25);
    assertThat(summary.queued()).isPositive();
  }

  @Test
  void aPrivateAddressIsRefusedWithoutTheAllowList() throws Exception {
    CrawlSettings closed = CrawlFixtures.allowing(CrawlFixtures.fast("private"), List.of());
    RecordingSink sink = new RecordingSink();
    CrawlSummary summary = crawl(closed, sink);
    assertThat(requests).isEmpty();
    assertThat(summary.rejected()).containsEntry("fetch_failed", 1L);
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getDetail())
                    .startsWith("refused address: 127.0.0.1, which is not a public address"));
    assertThat(sink.documents).isEmpty();
  }

  private CrawlSummary crawl(CrawlSettings settings, RecordingSink sink) throws Exception {
    return crawl(settings, sink, root + "/");
  }

  private CrawlSummary crawl(CrawlSettings settings, RecordingSink sink, String seed)
      throws Exception {
    return new Crawler(
            settings,
            CrawlScope.of(Kind.HOST, List.of(seed), List.of(), List.of()),
            List.of(seed),
            crawlFolder.resolve(settings.crawlId()),
            sink,
            1024)
        .run();
  }

  private static String path(RejectedDocument rejection) {
    return path(rejection.getOriginSource());
  }

  private static String path(String url) {
    return java.net.URI.create(url).getPath();
  }

  private static String links(String... targets) {
    StringBuilder html = new StringBuilder("<html><body>");
    for (String target : targets) {
      html.append("<a href=\"").append(target).append("\">").append(target).append("</a>\n");
    }
    return html.append("</body></html>").toString();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
