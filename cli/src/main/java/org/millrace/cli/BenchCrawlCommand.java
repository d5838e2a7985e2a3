package org.millrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.millrace.producers.crawl.CrawlScope;
import org.millrace.producers.crawl.CrawlSettings;
import org.millrace.producers.crawl.CrawlSink;
import org.millrace.producers.crawl.CrawlSummary;
import org.millrace.producers.crawl.Crawler;
import org.millrace.producers.crawl.StaticSiteServer;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.RejectedDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code millrace bench crawl}: the crawler's pages/s against the local static site. */
@Command(
    name = "crawl",
    mixinStandardHelpOptions = true,
    header = "Pages/s of the crawler against a javadoc jar served on loopback, politeness off.",
    description = {
      "Serves a javadoc jar (--jar, else the largest in ~/.m2/repository) with StaticSiteServer,"
          + " then",
      "crawls it from its index.html with no pause and --concurrency requests at once to the one",
      "host: fetch, robots.txt, charset, link extraction, frontier log (fsync every 1000 lines),",
      "and the RawDocument built; the records are counted, not sent to Kafka. A first crawl warms",
      "the JVM up; the second is measured. The last line reads pages/s=<number>."
    })
final class BenchCrawlCommand implements Callable<Integer> {

  @ParentCommand BenchCommand parent;
  @Spec CommandSpec spec;

  @Option(names = "--jar", paramLabel = "FILE", description = "The site (a javadoc jar).")
  Path jar;

  @Option(names = "--concurrency", defaultValue = "16", description = "Default: ${DEFAULT-VALUE}.")
  int concurrency;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path site = jar != null ? jar : largestJavadocJar();
    Path scratch = Files.createTempDirectory("millrace-bench-crawl");
    try (StaticSiteServer server = StaticSiteServer.start(site)) {
      out.printf(
          "site: %s, %,d files, at %s%n", site.getFileName(), server.paths().size(), server.root());
      out.flush();
      CrawlSummary warmUp = crawl(server, scratch.resolve("warm-up"), "warm-up");
      out.println("warm-up: " + warmUp);
      CrawlSummary measured = crawl(server, scratch.resolve("measured"), "measured");
      out.println("measured: " + measured);
      out.printf("pages/s=%.0f%n", measured.pagesFetched() / measured.seconds());
      out.flush();
    } finally {
      BenchCommand.deleteScratch(scratch);
    }
    return 0;
  }

  private CrawlSummary crawl(StaticSiteServer server, Path folder, String id) throws Exception {
    CrawlSettings d = CrawlSettings.defaults(id);
    CrawlSettings settings =
        new CrawlSettings(
            id,
            d.userAgent(),
            1_000,
            1_000_000,
            d.maxBytesPerPage(),
            false,
            Duration.ZERO,
            concurrency,
            concurrency,
            d.connectTimeout(),
            d.firstByteTimeout(),
            d.totalTimeout(),
            d.maxRedirects(),
            0,
            d.retryBackoff(),
            d.acceptedTypes(),
            d.robotsExpiry(),
            d.queryHandling(),
            List.of("127.0.0.0/8"));
    String seed = server.root() + "index.html";
    return new Crawler(
            settings,
            CrawlScope.of(CrawlScope.Kind.HOST, List.of(seed), List.of(), List.of()),
            List.of(seed),
            folder,
            new CountingSink(),
            1024)
        .run();
  }

  private static Path largestJavadocJar() throws IOException {
    Path repository = Path.of(System.getProperty("user.home"), ".m2", "repository");
    try (Stream<Path> files = Files.walk(repository)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith("-javadoc.jar"))
          .max(Comparator.comparingLong(p -> p.toFile().length()))
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "no javadoc jar in ~/.m2/repository: give --jar, or run mvn dependency:get"
                          + " -Dartifact=org.jsoup:jsoup:1.22.1:jar:javadoc"));
    }
  }

  /** Counts records and acknowledges them at once: the crawler alone is measured. */
  private static final class CountingSink implements CrawlSink {
    final LongAdder records = new LongAdder();

    @Override
    public void document(RawDocument document, Runnable acknowledged) {
      records.increment();
      acknowledged.run();
    }

    @Override
    public void rejection(RejectedDocument rejection, Runnable acknowledged) {
      records.increment();
      acknowledged.run();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
