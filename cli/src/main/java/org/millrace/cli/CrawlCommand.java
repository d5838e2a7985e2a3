package org.millrace.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.millrace.producers.crawl.CrawlScope;
import org.millrace.producers.crawl.CrawlSettings;
import org.millrace.producers.crawl.CrawlSummary;
import org.millrace.producers.crawl.Crawler;
import org.millrace.producers.crawl.KafkaCrawlSink;
import org.millrace.producers.crawl.UrlNormalizer;
import org.millrace.producers.crawl.UrlNormalizer.QueryHandling;
import org.millrace.runtime.config.MillraceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code millrace crawl URL...}. */
@Command(
    name = "crawl",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    header = "Crawl web pages, politely, into docs.raw.",
    description = {
      "Fetch the seed URLs and the pages they link to, within the scope and the limits, and"
          + " publish each page to docs.raw (url: the final URL after redirects; body: the raw"
          + " bytes). Pages that cannot be documents go to docs.rejected (fetch_failed,"
          + " http_error, unsupported_content_type, binary_payload, too_large).",
      "robots.txt is obeyed (RFC 9309), one request at a time per host with a pause. Private,"
          + " loopback, link-local and cloud metadata addresses are refused unless"
          + " --allow-private. The frontier is kept in data.dir/crawl/<crawl-id>/: the same"
          + " command started again continues the crawl without fetching a page twice."
    })
final class CrawlCommand implements Callable<Integer> {

  @ParentCommand Millrace millrace;
  @Spec CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "URL", description = "Seed URLs.")
  List<String> urls = new ArrayList<>();

  @Option(names = "--seeds", paramLabel = "FILE", description = "A file of seed URLs, one a line.")
  Path seedFile;

  @Option(
      names = "--crawl-id",
      paramLabel = "ID",
      description = "Names the crawl and its frontier (default: derived from the seeds).")
  String crawlId;

  @Option(
      names = "--scope",
      defaultValue = "HOST",
      description = "host, domain, prefix or any (default: ${DEFAULT-VALUE}).",
      converter = ScopeConverter.class)
  CrawlScope.Kind scope;

  @Option(
      names = "--include",
      paramLabel = "REGEX",
      description = "Only URLs that match; repeatable.")
  List<String> includes = new ArrayList<>();

  @Option(
      names = "--exclude",
      paramLabel = "REGEX",
      description = "No URL that matches; repeatable.")
  List<String> excludes = new ArrayList<>();

  @Option(
      names = "--max-depth",
      defaultValue = "5",
      description = "Links from a seed (default: ${DEFAULT-VALUE}).")
  int maxDepth;

  @Option(
      names = "--max-pages",
      defaultValue = "1000",
      description = "Pages requested, over all runs of the crawl (default: ${DEFAULT-VALUE}).")
  long maxPages;

  @Option(
      names = "--max-bytes",
      defaultValue = "2097152",
      description =
          "Body bytes kept per page, no more than documents.max.bytes (default: ${DEFAULT-VALUE}).")
  int maxBytes;

  @Option(
      names = "--reject-oversized",
      description = "A longer page goes to docs.rejected (too_large) instead of being cut.")
  boolean rejectOversized;

  @Option(
      names = "--delay-ms",
      defaultValue = "1000",
      description =
          "Pause between requests to one host; a longer Crawl-delay wins (default:"
              + " ${DEFAULT-VALUE}).")
  long delayMillis;

  @Option(
      names = "--concurrency",
      defaultValue = "8",
      description = "Requests at once, all hosts (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--per-host",
      defaultValue = "1",
      description = "Requests at once to one host (default: ${DEFAULT-VALUE}).")
  int perHost;

  @Option(
      names = "--no-politeness",
      description = "No pause and --concurrency requests per host: for your own servers only.")
  boolean impolite;

  @Option(
      names = "--connect-timeout-ms",
      defaultValue = "5000",
      description = "Default: ${DEFAULT-VALUE}.")
  long connectTimeoutMillis;

  @Option(
      names = "--first-byte-timeout-ms",
      defaultValue = "10000",
      description = "Request sent to response headers (default: ${DEFAULT-VALUE}).")
  long firstByteTimeoutMillis;

  @Option(
      names = "--timeout-ms",
      defaultValue = "30000",
      description = "Whole exchange, body included (default: ${DEFAULT-VALUE}).")
  long totalTimeoutMillis;

  @Option(names = "--max-redirects", defaultValue = "5", description = "Default: ${DEFAULT-VALUE}.")
  int maxRedirects;

  @Option(
      names = "--retries",
      defaultValue = "2",
      description = "After a timeout, connection failure, 5xx or 429 (default: ${DEFAULT-VALUE}).")
  int retries;

  @Option(
      names = "--retry-backoff-ms",
      defaultValue = "1000",
      description = "Before the first retry, doubled each time (default: ${DEFAULT-VALUE}).")
  long retryBackoffMillis;

  @Option(
      names = "--accept",
      paramLabel = "MEDIA-TYPE",
      description =
          "Media types kept; repeatable (default: text/html, application/xhtml+xml, text/plain).")
  List<String> acceptedTypes = new ArrayList<>();

  @Option(
      names = "--user-agent",
      description = "Its first word is the robots.txt group obeyed (default: MillraceBot/0.1 ...).")
  String userAgent = CrawlSettings.DEFAULT_USER_AGENT;

  @Option(
      names = "--robots-expiry-minutes",
      defaultValue = "1440",
      description = "How long robots.txt is cached (default: ${DEFAULT-VALUE}).")
  long robotsExpiryMinutes;

  @Option(
      names = "--query",
      defaultValue = "KEEP",
      description = "URL queries: keep, sort or drop (default: ${DEFAULT-VALUE}).",
      converter = QueryConverter.class)
  QueryHandling queryHandling;

  @Option(
      names = "--allow-private",
      arity = "0..1",
      fallbackValue = "*",
      split = ",",
      paramLabel = "CIDR",
      description =
          "Open non-public addresses: these ranges (127.0.0.0/8,10.0.0.0/8), or all without a"
              + " value. For tests and local demos.")
  List<String> allowPrivate = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    MillraceConfig config = millrace.config();
    UrlNormalizer normalizer = new UrlNormalizer(queryHandling);
    List<String> seeds = seeds(normalizer);
    String id =
        crawlId != null
            ? crawlId
            : "crawl-" + Crawler.idOf(String.join("\n", seeds)).substring(0, 8);
    CrawlSettings settings = settings(id, config);
    LocalPipeline.ensureTopics(config);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    err.printf(
        "crawl %s: %d seeds, scope %s, frontier in %s%n",
        id, seeds.size(), scope, folder(config, id));
    err.flush();
    CrawlSummary summary;
    try (KafkaCrawlSink sink = new KafkaCrawlSink(config)) {
      Crawler crawler =
          new Crawler(
              settings,
              CrawlScope.of(scope, seeds, includes, excludes),
              seeds,
              folder(config, id),
              sink,
              config.getInt(MillraceConfig.REJECTED_PAYLOAD_MAX_BYTES));
      Thread progress = progressLine(crawler, err);
      try (ShutdownSignal shutdown = new ShutdownSignal(crawler::stop)) {
        summary = crawler.run();
      } finally {
        if (progress != null) {
          progress.interrupt();
          progress.join();
        }
      }
    }
    out.println(summary);
    out.flush();
    return 0;
  }

  private static Path folder(MillraceConfig config, String id) {
    return config.dataDir().resolve("crawl").resolve(id);
  }

  private List<String> seeds(UrlNormalizer normalizer) throws Exception {
    List<String> raw = new ArrayList<>(urls);
    if (seedFile != null) {
      for (String line : Files.readAllLines(seedFile, StandardCharsets.UTF_8)) {
        if (!line.isBlank() && !line.strip().startsWith("#")) {
          raw.add(line.strip());
        }
      }
    }
    if (raw.isEmpty()) {
      throw new IllegalArgumentException("no seed URL: give URLs or --seeds FILE");
    }
    Set<String> seeds = new LinkedHashSet<>();
    for (String url : raw) {
      seeds.add(
          normalizer
              .normalize(url)
              .orElseThrow(() -> new IllegalArgumentException("not an http(s) URL: " + url)));
    }
    return List.copyOf(seeds);
  }

  private CrawlSettings settings(String id, MillraceConfig config) {
    int documentMaxBytes = config.getInt(MillraceConfig.DOCUMENTS_MAX_BYTES);
    return new CrawlSettings(
        id,
        userAgent,
        maxDepth,
        maxPages,
        Math.min(maxBytes, documentMaxBytes),
        rejectOversized,
        impolite ? Duration.ZERO : Duration.ofMillis(delayMillis),
        concurrency,
        impolite ? concurrency : perHost,
        Duration.ofMillis(connectTimeoutMillis),
        Duration.ofMillis(firstByteTimeoutMillis),
        Duration.ofMillis(totalTimeoutMillis),
        maxRedirects,
        retries,
        Duration.ofMillis(retryBackoffMillis),
        acceptedTypes.isEmpty() ? CrawlSettings.DEFAULT_ACCEPTED_TYPES : Set.copyOf(acceptedTypes),
        Duration.ofMinutes(robotsExpiryMinutes),
        queryHandling,
        allowPrivate);
  }

  /** On a terminal, a line that rewrites itself twice a second; nothing when output is piped. */
  private static Thread progressLine(Crawler crawler, PrintWriter err) {
    if (System.console() == null) {
      return null;
    }
    Thread thread =
        new Thread(
            () -> {
              try {
                while (true) {
                  Thread.sleep(500);
                  err.print("\r" + crawler.summary().progressLine() + "\u001b[K");
                  err.flush();
                }
              } catch (InterruptedException e) {
                err.println();
                err.flush();
              }
            },
            "crawl-progress");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  static final class ScopeConverter implements picocli.CommandLine.ITypeConverter<CrawlScope.Kind> {
    @Override
    public CrawlScope.Kind convert(String value) {
      return CrawlScope.Kind.valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
  }

  static final class QueryConverter implements picocli.CommandLine.ITypeConverter<QueryHandling> {
    @Override
    public QueryHandling convert(String value) {
      return QueryHandling.valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
  }
}
