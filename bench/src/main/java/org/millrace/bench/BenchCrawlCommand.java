package org.millrace.bench;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.millrace.cli.commands.DemoCommand;
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
    header = "Pages/s of the crawler against the demo sites served on loopback, politeness off.",
    description = {
      "Serves the demo corpus (demo.corpus: the javadoc sites the build fetches), or a javadoc",
      "jar (--jar), with StaticSiteServer, then crawls it from its index pages with no pause and",
      "--concurrency requests at once to the one host: fetch, robots.txt, charset, link",
      "extraction, frontier log (fsync every 1000 lines), and the RawDocument built; the records",
      "are counted, not sent to Kafka. A first crawl warms the JVM up; the second is measured.",
      "The reference, in the same run: the pages that crawl fetched, fetched again by the JDK",
      "HTTP client alone, --concurrency at once (warmed up the same way): what the client and",
      "the server leave of these cores. The last line reads pages/s=<number> ratio=<crawl/plain>."
    })
public final class BenchCrawlCommand implements Callable<Integer> {

  @ParentCommand BenchCommand parent;
  @Spec CommandSpec spec;

  @Option(names = "--jar", paramLabel = "FILE", description = "The site (a javadoc jar).")
  Path jar;

  @Option(names = "--concurrency", defaultValue = "16", description = "Default: ${DEFAULT-VALUE}.")
  int concurrency;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path site = jar != null ? jar : DemoCommand.demoCorpus(parent.millrace.config());
    Path scratch = Files.createTempDirectory("millrace-bench-crawl");
    try (StaticSiteServer server =
        jar != null ? StaticSiteServer.start(site) : StaticSiteServer.startFolder(site)) {
      List<String> seeds =
          jar != null
              ? List.of(server.root() + "index.html")
              : DemoCommand.seeds(site, server.root());
      out.printf(
          "site: %s, %,d files, at %s%n", site.getFileName(), server.paths().size(), server.root());
      out.flush();
      CrawlSummary warmUp = crawl(seeds, scratch.resolve("warm-up"), "warm-up", new CountingSink());
      out.println("warm-up: " + warmUp);
      CountingSink pages = new CountingSink();
      CrawlSummary measured = crawl(seeds, scratch.resolve("measured"), "measured", pages);
      out.println("measured: " + measured);
      out.flush();
      plainFetch(pages.urls);
      double plain = plainFetch(pages.urls);
      double crawled = measured.pagesFetched() / measured.seconds();
      out.printf("plain fetch of the same %,d pages: %.0f pages/s%n", pages.urls.size(), plain);
      out.printf("pages/s=%.0f ratio=%.2f%n", crawled, crawled / plain);
      out.flush();
    } finally {
      StageBenchmark.deleteScratch(scratch);
    }
    return 0;
  }

  private CrawlSummary crawl(List<String> seeds, Path folder, String id, CountingSink sink)
      throws Exception {
    CrawlSettings settings =
        CrawlSettings.defaults(id).forOwnSite(1_000, 1_000_000, concurrency, 0);
    return new Crawler(
            settings,
            CrawlScope.of(CrawlScope.Kind.HOST, seeds, List.of(), List.of()),
            seeds,
            folder,
            sink,
            1024)
        .run();
  }

  /**
   * GETs every URL with one JDK HTTP client, {@code concurrency} requests at once, bodies read
   * whole; returns pages/s.
   */
  private double plainFetch(List<String> urls) throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();
    AtomicInteger next = new AtomicInteger();
    ExecutorService workers = Executors.newFixedThreadPool(concurrency);
    long start = System.nanoTime();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        done.add(
            workers.submit(
                () -> {
                  for (int n = next.getAndIncrement();
                      n < urls.size();
                      n = next.getAndIncrement()) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(urls.get(n))).build();
                    client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                  }
                  return null;
                }));
      }
      for (Future<?> worker : done) {
        worker.get();
      }
    } finally {
      workers.shutdown();
    }
    return urls.size() / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * Counts records, keeps the documents' URLs, and acknowledges at once: the crawler alone is
   * measured.
   */
  private static final class CountingSink implements CrawlSink {
    final LongAdder records = new LongAdder();
    final List<String> urls = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void document(RawDocument document, Runnable acknowledged) {
      records.increment();
      urls.add(document.getUrl());
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
