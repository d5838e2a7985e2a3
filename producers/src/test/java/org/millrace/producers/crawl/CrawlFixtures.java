package org.millrace.producers.crawl;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    return new CrawlSettings(
        s.crawlId(),
        s.userAgent(),
        maxDepth,
        maxPages,
        s.maxBytesPerPage(),
        s.rejectOversized(),
        delay,
        s.concurrency(),
        perHost,
        s.connectTimeout(),
        s.firstByteTimeout(),
        s.totalTimeout(),
        s.maxRedirects(),
        s.retries(),
        s.retryBackoff(),
        s.acceptedTypes(),
        s.robotsExpiry(),
        s.queryHandling(),
        s.allowedAddresses());
  }

  /** The settings with another address allow-list (empty: public addresses only). */
  static CrawlSettings allowing(CrawlSettings s, List<String> allowedAddresses) {
    return new CrawlSettings(
        s.crawlId(),
        s.userAgent(),
        s.maxDepth(),
        s.maxPages(),
        s.maxBytesPerPage(),
        s.rejectOversized(),
        s.politenessDelay(),
        s.concurrency(),
        s.perHostConcurrency(),
        s.connectTimeout(),
        s.firstByteTimeout(),
        s.totalTimeout(),
        s.maxRedirects(),
        s.retries(),
        s.retryBackoff(),
        s.acceptedTypes(),
        s.robotsExpiry(),
        s.queryHandling(),
        allowedAddresses);
  }

  /** The settings with every timeout (connect, first byte, total) this long: for a busy machine. */
  static CrawlSettings patient(CrawlSettings s, Duration timeout) {
    return new CrawlSettings(
        s.crawlId(),
        s.userAgent(),
        s.maxDepth(),
        s.maxPages(),
        s.maxBytesPerPage(),
        s.rejectOversized(),
        s.politenessDelay(),
        s.concurrency(),
        s.perHostConcurrency(),
        timeout,
        timeout,
        timeout,
        s.maxRedirects(),
        s.retries(),
        s.retryBackoff(),
        s.acceptedTypes(),
        s.robotsExpiry(),
        s.queryHandling(),
        s.allowedAddresses());
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
