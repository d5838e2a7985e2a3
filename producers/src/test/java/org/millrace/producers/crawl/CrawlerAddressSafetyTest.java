package org.millrace.producers.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.millrace.producers.crawl.CrawlFixtures.redirect;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.producers.crawl.AddressPolicy.RefusedAddressException;
import org.millrace.producers.crawl.CrawlFixtures.RecordingSink;
import org.millrace.producers.crawl.CrawlScope.Kind;
import org.millrace.schemas.RejectedDocument;

/**
 * The address policy end to end, with real servers on loopback: 127.0.0.2 stands for the public
 * internet (the only range these crawls allow) and 127.0.0.1 for the internal service a hostile
 * page wants the crawler to read. Names resolve through a {@link HostResolver} of the test's own.
 */
class CrawlerAddressSafetyTest {

  private static final String PUBLIC = "127.0.0.2";
  private static final List<String> ALLOW_PUBLIC = List.of(PUBLIC + "/32");

  @TempDir Path crawlFolder;
  private final List<Server> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(server -> server.http.stop(0));
  }

  /** Every spelling of loopback and of other internal addresses: refused, with no request. */
  @Test
  void internalAddressesInAnySpellingAreRefusedWithoutARequest() throws Exception {
    Server internal = server("127.0.0.1", 0, exchange -> page(exchange, "secret"));
    int port = internal.port();
    Server internalV6 = serverOrNull("::1", port);
    UrlNormalizer normalizer = new UrlNormalizer(UrlNormalizer.QueryHandling.KEEP);
    List<String> spellings =
        List.of(
            "http://2130706433:" + port + "/",
            "http://0x7f.0.0.1:" + port + "/a",
            "http://0177.0.0.1:" + port + "/b",
            "http://127.1:" + port + "/c",
            "http://[::ffff:127.0.0.1]:" + port + "/",
            "http://[::ffff:7f00:1]:" + port + "/",
            "http://[::1]:" + port + "/",
            "http://localhost:" + port + "/",
            "http://[fd00::1]/",
            "http://[fe80::1]/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[fd00:ec2::254]/latest/meta-data/",
            "http://100.100.100.200/latest/meta-data/",
            "http://10.0.0.1/");
    List<String> seeds =
        spellings.stream().map(url -> normalizer.normalize(url).orElseThrow()).distinct().toList();
    assertThat(seeds).contains("http://127.0.0.1:" + port + "/", "http://127.0.0.1:" + port + "/a");

    RecordingSink sink = new RecordingSink();
    crawl(CrawlFixtures.allowing(CrawlFixtures.fast("spellings"), List.of()), sink, seeds, null);

    assertThat(internal.requests).isEmpty();
    if (internalV6 != null) {
      assertThat(internalV6.requests).isEmpty();
    }
    assertThat(sink.documents).isEmpty();
    assertThat(sink.rejections).hasSameSizeAs(seeds);
    assertThat(sink.rejections)
        .allSatisfy(
            r -> {
              assertThat(r.getReason()).isEqualTo("fetch_failed");
              assertThat(r.getDetail())
                  .startsWith("refused address: ")
                  .contains("not a public address")
                  .endsWith("no request was sent");
            });
  }

  /** A name that resolves to the metadata service or to loopback: refused before any request. */
  @Test
  void aNameThatResolvesToAnInternalAddressIsRefused() throws Exception {
    Server internal = server("127.0.0.1", 0, exchange -> page(exchange, "secret"));
    HostResolver resolver =
        CrawlAddressPolicyTest.names(
            Map.of("metadata.test", "169.254.169.254", "intranet.test", "127.0.0.1"));
    RecordingSink sink = new RecordingSink();
    crawl(
        CrawlFixtures.allowing(CrawlFixtures.fast("names"), ALLOW_PUBLIC),
        sink,
        List.of(
            "http://metadata.test/latest/meta-data/",
            "http://intranet.test:" + internal.port() + "/"),
        resolver);
    assertThat(internal.requests).isEmpty();
    assertThat(details(sink))
        .containsEntry(
            "http://metadata.test/latest/meta-data/",
            "refused address: metadata.test resolves to 169.254.169.254, which is not a public"
                + " address (--allow-private opens it); no request was sent")
        .containsEntry(
            "http://intranet.test:" + internal.port() + "/",
            "refused address: intranet.test resolves to 127.0.0.1, which is not a public address"
                + " (--allow-private opens it); no request was sent");
  }

  /**
   * DNS rebinding, one request: the name resolves to the public address first and to loopback on
   * every later lookup. The request goes to the address that was checked, with the name in Host.
   */
  @Test
  void theConnectionGoesToTheAddressThatWasChecked() throws Exception {
    Server[] pair = samePort(exchange -> page(exchange, "public"), e -> page(e, "secret"));
    Server publicServer = pair[0];
    Server internal = pair[1];
    AtomicInteger lookups = new AtomicInteger();
    HostResolver rebinding =
        host ->
            List.of(InetAddress.getByName(lookups.getAndIncrement() == 0 ? PUBLIC : "127.0.0.1"));
    AddressPolicy policy = AddressPolicy.allowing(ALLOW_PUBLIC).resolvingWith(rebinding);
    PageFetcher fetcher = new PageFetcher(patient("rebind"), policy);
    URI url = URI.create("http://rebind.test:" + publicServer.port() + "/page?q=1");

    PageFetcher.Response response = fetcher.get(url, 1000, info -> true);

    assertThat(response.status()).isEqualTo(200);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("public");
    assertThat(response.uri()).isEqualTo(url);
    assertThat(lookups.get()).isEqualTo(1);
    assertThat(publicServer.requests)
        .containsExactly("rebind.test:" + publicServer.port() + " /page?q=1");
    assertThat(internal.requests).isEmpty();

    // the next request looks up again, sees loopback, and is refused
    assertThatThrownBy(() -> fetcher.get(url, 1000, info -> true))
        .isInstanceOf(RefusedAddressException.class);
    assertThat(internal.requests).isEmpty();
  }

  /**
   * DNS rebinding over https: the connection goes to the checked address too, while TLS still
   * speaks to the name (SNI, and the certificate checked against it): a server whose certificate is
   * for another name is refused even at an allowed address.
   */
  @Test
  void httpsGoesToTheAddressCheckedAndChecksTheCertificateAgainstTheName() throws Exception {
    Tls tls = Tls.forName("secure.test", crawlFolder.resolve("tls"));
    Server[] pair =
        samePort(tls.server(), exchange -> page(exchange, "public"), e -> page(e, "secret"));
    Server publicServer = pair[0];
    Server internal = pair[1];
    AtomicInteger lookups = new AtomicInteger();
    HostResolver resolver =
        host -> {
          if (host.equals("impostor.test")) {
            return List.of(InetAddress.getByName(PUBLIC));
          }
          return List.of(
              InetAddress.getByName(lookups.getAndIncrement() == 0 ? PUBLIC : "127.0.0.1"));
        };
    PageFetcher fetcher =
        new PageFetcher(
            patient("tls"),
            AddressPolicy.allowing(ALLOW_PUBLIC).resolvingWith(resolver),
            tls.trustManagers());
    URI url = URI.create("https://secure.test:" + publicServer.port() + "/page");

    PageFetcher.Response response = fetcher.get(url, 1000, info -> true);

    assertThat(response.status()).isEqualTo(200);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("public");
    assertThat(publicServer.requests)
        .containsExactly("secure.test:" + publicServer.port() + " /page");
    assertThat(internal.requests).isEmpty();
    assertThatThrownBy(() -> fetcher.get(url, 1000, info -> true))
        .isInstanceOf(RefusedAddressException.class);
    assertThat(internal.requests).isEmpty();

    // the same server, the same address, but a name its certificate does not hold
    URI impostor = URI.create("https://impostor.test:" + publicServer.port() + "/page");
    assertThatThrownBy(() -> fetcher.get(impostor, 1000, info -> true))
        .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    assertThat(publicServer.requests).hasSize(1);
  }

  /** DNS rebinding over a whole crawl: the name flips between public and loopback each lookup. */
  @Test
  void aNameThatFlipsToLoopbackNeverReachesIt() throws Exception {
    Server[] pair =
        samePort(
            exchange -> {
              if (exchange.getRequestURI().getPath().equals("/robots.txt")) {
                exchange.sendResponseHeaders(404, -1);
              } else {
                page(exchange, "<a href=/a>a</a> <a href=/b>b</a> <a href=/c>c</a>");
              }
            },
            exchange -> page(exchange, "secret"));
    Server publicServer = pair[0];
    Server internal = pair[1];
    AtomicInteger lookups = new AtomicInteger();
    HostResolver flipping =
        host ->
            List.of(
                InetAddress.getByName(lookups.getAndIncrement() % 2 == 0 ? PUBLIC : "127.0.0.1"));
    RecordingSink sink = new RecordingSink();
    String seed = "http://rebind.test:" + publicServer.port() + "/";
    CrawlSummary summary =
        crawl(
            CrawlFixtures.allowing(CrawlFixtures.fast("flip"), ALLOW_PUBLIC),
            sink,
            List.of(seed),
            flipping);

    assertThat(lookups.get()).isGreaterThan(1);
    assertThat(internal.requests).isEmpty();
    assertThat(publicServer.requests)
        .allSatisfy(r -> assertThat(r).startsWith("rebind.test:" + publicServer.port() + " "));
    // the refusal shows: a page rejected, or robots.txt refused and so the host left alone
    assertThat(sink.rejections)
        .allSatisfy(r -> assertThat(r.getDetail()).startsWith("refused address: rebind.test"));
    assertThat(sink.rejections.size() + summary.skipped().getOrDefault("robots", 0L)).isPositive();
  }

  /** A public page that redirects into loopback or to the metadata service: the hop is refused. */
  @Test
  void redirectsIntoRefusedRangesAreRefused() throws Exception {
    Server internal = server("127.0.0.1", 0, exchange -> page(exchange, "secret"));
    int internalPort = internal.port();
    Map<String, String> redirects =
        Map.of(
            "/to-loopback", "http://127.0.0.1:" + internalPort + "/secret",
            "/to-name", "http://intranet.test:" + internalPort + "/secret",
            "/to-metadata", "http://metadata.test/latest/meta-data/",
            "/to-mapped", "http://[::ffff:127.0.0.1]:" + internalPort + "/secret",
            "/to-decimal", "http://2130706433:" + internalPort + "/decimal");
    Server origin =
        server(
            PUBLIC,
            0,
            exchange -> {
              String path = exchange.getRequestURI().getPath();
              String host = exchange.getRequestHeaders().getFirst("Host");
              if (host.startsWith("robots.test") && path.equals("/robots.txt")) {
                redirect(exchange, "http://127.0.0.1:" + internalPort + "/robots.txt");
              } else if (path.equals("/robots.txt")) {
                exchange.sendResponseHeaders(404, -1);
              } else if (redirects.containsKey(path)) {
                redirect(exchange, redirects.get(path));
              } else {
                page(
                    exchange,
                    redirects.keySet().stream()
                        .map(p -> "<a href=" + p + ">" + p + "</a>")
                        .collect(Collectors.joining(" ")));
              }
            });
    HostResolver resolver =
        CrawlAddressPolicyTest.names(
            Map.of(
                "www.test",
                PUBLIC,
                "robots.test",
                PUBLIC,
                "intranet.test",
                "127.0.0.1",
                "metadata.test",
                "169.254.169.254"));
    RecordingSink sink = new RecordingSink();
    String www = "http://www.test:" + origin.port();
    String robots = "http://robots.test:" + origin.port() + "/";
    CrawlSummary summary =
        crawl(
            CrawlFixtures.allowing(CrawlFixtures.fast("redirects"), ALLOW_PUBLIC),
            sink,
            List.of(www + "/", robots),
            resolver);

    assertThat(internal.requests).isEmpty();
    Map<String, String> details = details(sink);
    assertThat(details)
        .containsOnlyKeys(
            "http://127.0.0.1:" + internalPort + "/secret",
            "http://intranet.test:" + internalPort + "/secret",
            "http://metadata.test/latest/meta-data/",
            "http://[::ffff:127.0.0.1]:" + internalPort + "/secret",
            "http://127.0.0.1:" + internalPort + "/decimal");
    assertThat(details.get("http://metadata.test/latest/meta-data/"))
        .isEqualTo(
            "refused address: metadata.test resolves to 169.254.169.254, which is not a public"
                + " address (--allow-private opens it) (redirect 1 from "
                + www
                + "/to-metadata); no request was sent");
    assertThat(details.values())
        .allSatisfy(
            detail ->
                assertThat(detail)
                    .startsWith("refused address: ")
                    .contains("(redirect 1 from " + www + "/to-"));
    // robots.txt that redirects into loopback: unreachable, so robots.test is not crawled at all
    assertThat(summary.skipped()).containsEntry("robots", 1L);
    Map<String, Long> paths =
        origin.requests.stream()
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(paths).containsEntry("robots.test:" + origin.port() + " /robots.txt", 1L);
    assertThat(paths.keySet())
        .noneMatch(r -> r.startsWith("robots.test:") && !r.endsWith("/robots.txt"));
  }

  private CrawlSummary crawl(
      CrawlSettings settings, RecordingSink sink, List<String> seeds, HostResolver resolver)
      throws Exception {
    CrawlSettings fast = CrawlFixtures.with(settings, 2, 100, Duration.ZERO, 4);
    CrawlScope scope = CrawlScope.of(Kind.ANY, seeds, List.of(), List.of());
    Path folder = crawlFolder.resolve(settings.crawlId());
    Crawler crawler =
        resolver == null
            ? new Crawler(fast, scope, seeds, folder, sink, 1024)
            : new Crawler(fast, scope, seeds, folder, sink, 1024, resolver);
    return crawler.run();
  }

  private static CrawlSettings patient(String crawlId) {
    return CrawlFixtures.patient(CrawlFixtures.fast(crawlId), Duration.ofSeconds(20));
  }

  private static Map<String, String> details(RecordingSink sink) {
    return sink.rejections.stream()
        .collect(Collectors.toMap(RejectedDocument::getOriginSource, RejectedDocument::getDetail));
  }

  /** A server that records "Host path?query" of every request it receives. */
  private record Server(HttpServer http, List<String> requests) {
    int port() {
      return http.getAddress().getPort();
    }
  }

  private interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private Server server(String address, int port, Handler handler) throws IOException {
    return server(null, address, port, handler);
  }

  private Server server(SSLContext tls, String address, int port, Handler handler)
      throws IOException {
    InetSocketAddress bound = new InetSocketAddress(InetAddress.getByName(address), port);
    HttpServer http;
    if (tls == null) {
      http = HttpServer.create(bound, 0);
    } else {
      HttpsServer https = HttpsServer.create(bound, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      http = https;
    }
    List<String> requests = Collections.synchronizedList(new ArrayList<>());
    http.createContext(
        "/",
        exchange -> {
          // every Host header, joined: a request with two (the name and the address) shows
          requests.add(
              String.join(",", exchange.getRequestHeaders().get("Host"))
                  + " "
                  + exchange.getRequestURI().getRawPath()
                  + (exchange.getRequestURI().getRawQuery() == null
                      ? ""
                      : "?" + exchange.getRequestURI().getRawQuery()));
          try (exchange) {
            handler.handle(exchange);
          }
        });
    http.start();
    Server server = new Server(http, requests);
    servers.add(server);
    return server;
  }

  /** A server on ::1 too, when this machine has IPv6 loopback. */
  private Server serverOrNull(String address, int port) {
    try {
      return server(address, port, exchange -> page(exchange, "secret"));
    } catch (IOException e) {
      return null;
    }
  }

  /** The public server on 127.0.0.2 and the internal one on 127.0.0.1, on one port. */
  private Server[] samePort(Handler publicHandler, Handler internalHandler) throws IOException {
    return samePort(null, publicHandler, internalHandler);
  }

  private Server[] samePort(SSLContext tls, Handler publicHandler, Handler internalHandler)
      throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      Server publicServer = server(tls, PUBLIC, 0, publicHandler);
      try {
        return new Server[] {
          publicServer, server(tls, "127.0.0.1", publicServer.port(), internalHandler)
        };
      } catch (BindException taken) {
        publicServer.http.stop(0);
        servers.remove(publicServer);
      }
    }
    throw new IOException("no port free on both 127.0.0.1 and 127.0.0.2");
  }

  /** A self-signed certificate for one name (keytool's), as the server's key and the trust. */
  private record Tls(KeyStore keys) {
    static Tls forName(String name, Path folder) throws Exception {
      Files.createDirectories(folder);
      Path store = folder.resolve("keys.p12");
      Process keytool =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                  "-genkeypair",
                  "-keystore",
                  store.toString(),
                  "-storetype",
                  "PKCS12",
                  "-storepass",
                  "secret",
                  "-alias",
                  "server",
                  "-keyalg",
                  "EC",
                  "-groupname",
                  "secp256r1",
                  "-dname",
                  "CN=" + name,
                  "-ext",
                  "SAN=dns:" + name,
                  "-validity",
                  "2")
              .redirectErrorStream(true)
              .start();
      String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(keytool.waitFor()).as(output).isZero();
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        keys.load(in, "secret".toCharArray());
      }
      return new Tls(keys);
    }

    SSLContext server() throws IOException {
      try {
        KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
        factory.init(keys, "secret".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
      } catch (GeneralSecurityException e) {
        throw new IOException(e);
      }
    }

    TrustManager[] trustManagers() throws GeneralSecurityException {
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(keys);
      return factory.getTrustManagers();
    }
  }

  private static void page(HttpExchange exchange, String html) throws IOException {
    CrawlFixtures.html(exchange, "<html><body>" + html + "</body></html>");
  }
}
