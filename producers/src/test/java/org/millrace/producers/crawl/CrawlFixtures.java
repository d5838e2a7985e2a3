package org.millrace.producers.crawl;

import static org.assertj.core.api.Assumptions.assumeThat;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.RejectedDocument;

/** What the crawler's tests share: a site to crawl, fast settings, a sink that keeps records. */
final class CrawlFixtures {

  private CrawlFixtures() {}

  /** jsoup's javadoc jar, which the build copies from Maven Central (producers/pom.xml). */
  static Path javadocJar() {
    Path jar = Path.of("target", "test-sites", "jsoup-javadoc.jar");
    if (!Files.isRegularFile(jar)) {
      System.err.println(
          "SKIPPED: no "
              + jar.toAbsolutePath()
              + "; the build copies it in the generate-test-resources phase (mvn test)");
    }
    assumeThat(jar).as("jsoup's javadoc jar (see stderr)").isRegularFile();
    return jar;
  }

  /** Fast and impolite: for servers of the test's own. */
  static CrawlSettings fast(String crawlId) {
    CrawlSettings d = CrawlSettings.defaults(crawlId);
    return new CrawlSettings(
        crawlId,
        d.userAgent(),
        100,
        100_000,
        64 * 1024,
        false,
        Duration.ZERO,
        4,
        4,
        Duration.ofSeconds(2),
        Duration.ofMillis(500),
        Duration.ofMillis(800),
        3,
        1,
        Duration.ofMillis(10),
        d.acceptedTypes(),
        d.robotsExpiry(),
        d.queryHandling(),
        List.of("127.0.0.0/8"));
  }

  static CrawlSettings with(
      CrawlSettings s, int maxDepth, long maxPages, Duration delay, int perHost) {
    return changed(
        s,
        Map.of(
            "maxDepth", maxDepth,
            "maxPages", maxPages,
            "politenessDelay", delay,
            "perHostConcurrency", perHost));
  }

  /** The settings with another address allow-list (empty: public addresses only). */
  static CrawlSettings allowing(CrawlSettings s, List<String> allowedAddresses) {
    return changed(s, Map.of("allowedAddresses", allowedAddresses));
  }

  /** The settings with every timeout (connect, first byte, total) this long: for a busy machine. */
  static CrawlSettings patient(CrawlSettings s, Duration timeout) {
    return changed(
        s, Map.of("connectTimeout", timeout, "firstByteTimeout", timeout, "totalTimeout", timeout));
  }

  /**
   * A copy of {@code s} with the components named in {@code changes} replaced: the record has
   * nineteen components, and spelling them all out in each variation hid which ones it changes.
   */
  private static CrawlSettings changed(CrawlSettings s, Map<String, Object> changes) {
    RecordComponent[] components = CrawlSettings.class.getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    List<String> names = Arrays.stream(components).map(RecordComponent::getName).toList();
    if (!names.containsAll(changes.keySet())) {
      throw new IllegalArgumentException(changes.keySet() + ": not all of them are in " + names);
    }
    try {
      for (int i = 0; i < components.length; i++) {
        String name = components[i].getName();
        types[i] = components[i].getType();
        values[i] =
            changes.containsKey(name) ? changes.get(name) : components[i].getAccessor().invoke(s);
      }
      return CrawlSettings.class.getDeclaredConstructor(types).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Answers 200 with the HTML. */
  static void html(HttpExchange exchange, String html) throws IOException {
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
  }

  /** Answers 302 to the location. */
  static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(302, -1);
  }

  /** Keeps every record, and acknowledges it at once. */
  static final class RecordingSink implements CrawlSink {
    final List<RawDocument> documents = new ArrayList<>();
    final List<RejectedDocument> rejections = new ArrayList<>();

    @Override
    public synchronized void document(RawDocument document, Runnable acknowledged) {
      documents.add(document);
      acknowledged.run();
    }

    @Override
    public synchronized void rejection(RejectedDocument rejection, Runnable acknowledged) {
      rejections.add(rejection);
      acknowledged.run();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
