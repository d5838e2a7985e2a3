package org.millrace.cli.commands;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.millrace.cli.Banner;
import org.millrace.cli.Millrace;
import org.millrace.cli.local.DemoKeys;
import org.millrace.cli.local.LocalPipeline;
import org.millrace.producers.crawl.CrawlScope;
import org.millrace.producers.crawl.CrawlSettings;
import org.millrace.producers.crawl.CrawlSummary;
import org.millrace.producers.crawl.Crawler;
import org.millrace.producers.crawl.KafkaCrawlSink;
import org.millrace.producers.crawl.StaticSiteServer;
import org.millrace.runtime.config.MillraceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code millrace demo}: {@code up}, then crawl the demo sites served on loopback. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "Run everything, fed by a crawl of real HTML sites served on loopback.",
    description = {
      "Run everything as 'up' does, serve the demo corpus (the HTML of the javadoc jars of",
      "Millrace's own dependencies, which the build fetches from Maven Central: demo.corpus) as a",
      "web site on 127.0.0.1, and crawl it into docs.raw with 'millrace crawl's crawler (no",
      "politeness delay: the site is our own). Watch lag and loss with './millrace status' from",
      "another terminal. Stop with Ctrl-C."
    })
public final class DemoCommand implements Callable<Integer> {

  @ParentCommand Millrace millrace;

  @Option(
      names = "--max-pages",
      defaultValue = "20000",
      description = "Pages to crawl at most (default: ${DEFAULT-VALUE}).")
  long maxPages;

  @Override
  public Integer call() throws Exception {
    MillraceConfig config = millrace.config();
    Path corpus = demoCorpus(config);
    try (LocalPipeline pipeline = LocalPipeline.start(config, true);
        StaticSiteServer site = StaticSiteServer.startFolder(corpus)) {
      Banner.print(pipeline);
      List<String> seeds = seeds(corpus, site.root());
      System.out.println(
          "Crawling the demo sites at " + site.root() + " (" + seeds.size() + " sites) ...");
      System.out.println(
          "The stages clean, filter, deduplicate and tokenize what it fetches; the trainer's loss"
              + " lines follow. ./millrace status shows lag and loss.");
      try (KafkaCrawlSink sink = new KafkaCrawlSink(pipeline.config())) {
        Crawler crawler = crawler(pipeline.config(), seeds, site.root(), sink);
        Thread crawl =
            new Thread(
                () -> {
                  try {
                    CrawlSummary summary = crawler.run();
                    System.out.println("Demo crawl: " + summary + ".");
                  } catch (Exception e) {
                    System.err.println("millrace demo: the crawl failed: " + e);
                  }
                },
                "millrace-demo-crawl");
        crawl.start();
        return UpCommand.runUntilInterrupted(
            pipeline,
            () -> {
              crawler.stop();
              try {
                crawl.join();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
      }
    }
  }

  /** The index page of every site of the corpus: one folder per javadoc jar. */
  public static List<String> seeds(Path corpus, URI root) throws Exception {
    List<String> seeds = new ArrayList<>();
    try (Stream<Path> sites = Files.list(corpus)) {
      for (Path site : sites.sorted().toList()) {
        if (Files.isRegularFile(site.resolve("index.html"))) {
          seeds.add(root.resolve(site.getFileName() + "/index.html").toString());
        }
      }
    }
    if (seeds.isEmpty()) {
      throw new IllegalStateException("no site (a folder with an index.html) in " + corpus);
    }
    return seeds;
  }

  private Crawler crawler(
      MillraceConfig config, List<String> seeds, URI root, KafkaCrawlSink sink) {
    CrawlSettings defaults = CrawlSettings.defaults("demo-" + root.getPort());
    CrawlSettings settings = defaults.forOwnSite(20, maxPages, 4, defaults.retries());
    return new Crawler(
        settings,
        CrawlScope.of(CrawlScope.Kind.HOST, seeds, List.of(), List.of()),
        seeds,
        config.dataDir().resolve("crawl").resolve(settings.crawlId()),
        sink,
        config.getInt(MillraceConfig.REJECTED_PAYLOAD_MAX_BYTES));
  }

  public static Path demoCorpus(MillraceConfig config) {
    Path configured = Path.of(config.getString(DemoKeys.CORPUS));
    Path home = Path.of(System.getProperty("millrace.home", "."));
    Path corpus = configured.isAbsolute() ? configured : home.resolve(configured).normalize();
    if (!Files.isDirectory(corpus)) {
      throw new IllegalStateException(
          "demo corpus not found at "
              + corpus.toAbsolutePath()
              + ": the build puts it there (./mvnw -DskipTests package), or set demo.corpus to a"
              + " folder of sites (folders with an index.html)");
    }
    return corpus;
  }
}
