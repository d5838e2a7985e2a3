package org.millrace.cli.commands;

import org.millrace.cli.Millrace;
import org.millrace.cli.ShutdownSignal;
import org.millrace.cli.local.LocalPipeline;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.millrace.producers.crawl.CrawlKeys;
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
public final class CrawlCommand implements Callable<Integer> {

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

  // Each option overrides a configuration key (CrawlKeys), whose default the help shows.

  @Option(
      names = "--scope",
      description =
          "host, domain, prefix or any (crawl.scope, default " + CrawlKeys.DEFAULT_SCOPE + ").")
  String scope;

  @Option(
      names = "--include",
      paramLabel = "REGEX",
      description = "Only URLs that match; repeatable (crawl.include).")
  List<String> includes;

  @Option(
      names = "--exclude",
      paramLabel = "REGEX",
      description = "No URL that matches; repeatable (crawl.exclude).")
  List<String> excludes;

  @Option(
      names = "--max-depth",
      description =
          "Links from a seed (crawl.max.depth, default " + CrawlKeys.DEFAULT_MAX_DEPTH + ").")
  Integer maxDepth;

  @Option(
      names = "--max-pages",
      description =
          "Pages requested, over all runs of the crawl (crawl.max.pages, default "
              + CrawlKeys.DEFAULT_MAX_PAGES
              + ").")
  Long maxPages;

  @Option(
      names = "--max-bytes",
      description =
          "Body bytes kept per page, no more than documents.max.bytes (crawl.max.bytes,"
              + " default "
              + CrawlKeys.DEFAULT_MAX_BYTES
              + ").")
  Integer maxBytes;

  @Option(
      names = "--reject-oversized",
      description =
          "A longer page goes to docs.rejected (too_large) instead of being cut"
              + " (crawl.reject.oversized).")
  Boolean rejectOversized;

  @Option(
      names = "--delay-ms",
      description =
          "Pause between requests to one host; a longer Crawl-delay wins (crawl.delay.ms,"
              + " default "
              + CrawlKeys.DEFAULT_DELAY_MS
              + ").")
  Long delayMillis;

  @Option(
      names = "--concurrency",
      description =
          "Requests at once, all hosts (crawl.concurrency, default "
              + CrawlKeys.DEFAULT_CONCURRENCY
              + ").")
  Integer concurrency;

  @Option(
      names = "--per-host",
      description =
          "Requests at once to one host (crawl.per.host, default "
              + CrawlKeys.DEFAULT_PER_HOST
              + ").")
  Integer perHost;

  @Option(
      names = "--no-politeness",
      description =
          "No pause and --concurrency requests per host: for your own servers only"
              + " (crawl.politeness=false).")
  boolean impolite;

  @Option(
      names = "--connect-timeout-ms",
      description =
          "crawl.connect.timeout.ms, default " + CrawlKeys.DEFAULT_CONNECT_TIMEOUT_MS + ".")
  Long connectTimeoutMillis;

  @Option(
      names = "--first-byte-timeout-ms",
      description =
          "Request sent to response headers (crawl.first.byte.timeout.ms, default "
              + CrawlKeys.DEFAULT_FIRST_BYTE_TIMEOUT_MS
              + ").")
  Long firstByteTimeoutMillis;

  @Option(
      names = "--timeout-ms",
      description =
          "Whole exchange, body included (crawl.timeout.ms, default "
              + CrawlKeys.DEFAULT_TIMEOUT_MS
              + ").")
  Long totalTimeoutMillis;

  @Option(
      names = "--max-redirects",
      description = "crawl.max.redirects, default " + CrawlKeys.DEFAULT_MAX_REDIRECTS + ".")
  Integer maxRedirects;

  @Option(
      names = "--retries",
      description =
          "After a timeout, connection failure, 5xx or 429 (crawl.retries, default "
              + CrawlKeys.DEFAULT_RETRIES
              + ").")
  Integer retries;

  @Option(
      names = "--retry-backoff-ms",
      description =
          "Before the first retry, doubled each time (crawl.retry.backoff.ms, default "
              + CrawlKeys.DEFAULT_RETRY_BACKOFF_MS
              + ").")
  Long retryBackoffMillis;

  @Option(
      names = "--accept",
      paramLabel = "MEDIA-TYPE",
      description =
          "Media types kept; repeatable (crawl.accept, default " + CrawlKeys.DEFAULT_ACCEPT + ").")
  List<String> acceptedTypes;

  @Option(
      names = "--user-agent",
      description =
          "Its first word is the robots.txt group obeyed (crawl.user.agent, default "
              + CrawlKeys.DEFAULT_USER_AGENT
              + ").")
  String userAgent;

  @Option(
      names = "--robots-expiry-minutes",
      description =
          "How long robots.txt is cached (crawl.robots.expiry.minutes, default "
              + CrawlKeys.DEFAULT_ROBOTS_EXPIRY_MINUTES
              + ").")
  Long robotsExpiryMinutes;

  @Option(
      names = "--query",
      description =
          "URL queries: keep, sort or drop (crawl.query, default " + CrawlKeys.DEFAULT_QUERY + ").")
  String queryHandling;

  @Option(
      names = "--allow-private",
      arity = "0..1",
      fallbackValue = "*",
      split = ",",
      paramLabel = "CIDR",
      description =
          "Open non-public addresses: these ranges (127.0.0.0/8,10.0.0.0/8), or all without a"
              + " value. For tests and local demos (crawl.allow.private).")
  List<String> allowPrivate;

  @Override
  public Integer call() throws Exception {
    MillraceConfig config = millrace.config().with(givenOptions());
    UrlNormalizer normalizer =
        new UrlNormalizer(
            QueryHandling.valueOf(config.getString(CrawlKeys.QUERY).toUpperCase(Locale.ROOT)));
    CrawlScope.Kind scope =
        CrawlScope.Kind.valueOf(config.getString(CrawlKeys.SCOPE).toUpperCase(Locale.ROOT));
    List<String> seeds = seeds(normalizer);
    String id =
        crawlId != null
            ? crawlId
            : "crawl-" + Crawler.idOf(String.join("\n", seeds)).substring(0, 8);
    CrawlSettings settings = CrawlSettings.from(config, id);
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
              CrawlScope.of(
                  scope,
                  seeds,
                  includes != null ? includes : config.getList(CrawlKeys.INCLUDE),
                  excludes != null ? excludes : config.getList(CrawlKeys.EXCLUDE)),
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

  /** The options given on the command line, as the configuration keys they override. */
  private Map<String, String> givenOptions() {
    Map<String, String> given = new HashMap<>();
    BiConsumer<String, Object> put =
        (key, value) -> {
          if (value != null) {
            given.put(
                key,
                value instanceof List<?> list
                    ? list.stream().map(String::valueOf).collect(Collectors.joining(","))
                    : String.valueOf(value));
          }
        };
    put.accept(CrawlKeys.SCOPE, scope);
    put.accept(CrawlKeys.MAX_DEPTH, maxDepth);
    put.accept(CrawlKeys.MAX_PAGES, maxPages);
    put.accept(CrawlKeys.MAX_BYTES, maxBytes);
    put.accept(CrawlKeys.REJECT_OVERSIZED, rejectOversized);
    put.accept(CrawlKeys.DELAY_MS, delayMillis);
    put.accept(CrawlKeys.CONCURRENCY, concurrency);
    put.accept(CrawlKeys.PER_HOST, perHost);
    put.accept(CrawlKeys.POLITENESS, impolite ? false : null);
    put.accept(CrawlKeys.CONNECT_TIMEOUT_MS, connectTimeoutMillis);
    put.accept(CrawlKeys.FIRST_BYTE_TIMEOUT_MS, firstByteTimeoutMillis);
    put.accept(CrawlKeys.TIMEOUT_MS, totalTimeoutMillis);
    put.accept(CrawlKeys.MAX_REDIRECTS, maxRedirects);
    put.accept(CrawlKeys.RETRIES, retries);
    put.accept(CrawlKeys.RETRY_BACKOFF_MS, retryBackoffMillis);
    put.accept(CrawlKeys.ACCEPT, acceptedTypes);
    put.accept(CrawlKeys.USER_AGENT, userAgent);
    put.accept(CrawlKeys.ROBOTS_EXPIRY_MINUTES, robotsExpiryMinutes);
    put.accept(CrawlKeys.QUERY, queryHandling);
    put.accept(CrawlKeys.ALLOW_PRIVATE, allowPrivate);
    return given;
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
}
