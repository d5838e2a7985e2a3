package org.millrace.producers.crawl;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.millrace.producers.crawl.UrlNormalizer.QueryHandling;
import org.millrace.runtime.config.MillraceConfig;

/**
 * Every knob of a crawl. {@link #from} reads them from the configuration ({@link CrawlKeys}, where
 * each is named once with its default); {@code millrace crawl}'s options override them.
 *
 * @param crawlId names the crawl: its frontier lives in {@code data.dir/crawl/<crawl-id>/}, and
 *     starting a crawl with the same id continues it
 * @param userAgent sent with every request; its first word (before '/') is the robots.txt group the
 *     crawler obeys
 * @param maxDepth links followed from a seed (a seed is depth 0); redirects do not count
 * @param maxPages requests for pages (robots.txt not counted), over every run of the crawl
 * @param maxBytesPerPage the most body bytes kept per page, after decompression
 * @param rejectOversized a page longer than maxBytesPerPage goes to docs.rejected (too_large)
 *     instead of being kept cut, with {@code truncated=true} in its metadata
 * @param politenessDelay pause between the end of one request to a host and the start of the next;
 *     a robots.txt Crawl-delay that is longer wins
 * @param concurrency requests in flight at once, over all hosts
 * @param perHostConcurrency requests in flight at once to one host (1: one at a time)
 * @param connectTimeout to open a connection
 * @param firstByteTimeout from sending the request to the response's headers
 * @param totalTimeout for the whole exchange, body included: a server that stalls is left
 * @param maxRedirects hops followed from the requested URL
 * @param retries further attempts after a timeout, a connection failure, a 5xx or a 429
 * @param retryBackoff pause before the first retry, doubled before each next one
 * @param acceptedTypes media types kept as documents; others go to docs.rejected
 * @param robotsExpiry how long a host's robots.txt is used before it is fetched again (RFC 9309
 *     section 2.4: no more than 24 hours)
 * @param queryHandling what URL normalisation does with queries
 * @param allowedAddresses address ranges opened despite not being public ({@code *}: all); empty:
 *     public addresses only
 */
public record CrawlSettings(
    String crawlId,
    String userAgent,
    int maxDepth,
    long maxPages,
    int maxBytesPerPage,
    boolean rejectOversized,
    Duration politenessDelay,
    int concurrency,
    int perHostConcurrency,
    Duration connectTimeout,
    Duration firstByteTimeout,
    Duration totalTimeout,
    int maxRedirects,
    int retries,
    Duration retryBackoff,
    Set<String> acceptedTypes,
    Duration robotsExpiry,
    QueryHandling queryHandling,
    List<String> allowedAddresses) {

  public CrawlSettings {
    if (maxDepth < 0 || maxPages < 1 || maxBytesPerPage < 1 || concurrency < 1) {
      throw new IllegalArgumentException(
          "max depth must be >= 0, max pages, max bytes and concurrency >= 1");
    }
    if (perHostConcurrency < 1 || maxRedirects < 0 || retries < 0) {
      throw new IllegalArgumentException(
          "per-host concurrency must be >= 1, redirects and retries >= 0");
    }
    acceptedTypes = Set.copyOf(acceptedTypes);
    allowedAddresses = List.copyOf(allowedAddresses);
  }

  /**
   * The configured crawl ({@link CrawlKeys}; docs/configuration.md): by default polite, one request
   * at a time per host, a second apart (the convention of Heritrix and Nutch, whose default delays
   * are 1 to 5 s), 8 hosts at once, 2 MiB per page, never more than {@code documents.max.bytes}.
   */
  public static CrawlSettings from(MillraceConfig config, String crawlId) {
    boolean polite = config.getBoolean(CrawlKeys.POLITENESS);
    int concurrency = config.getInt(CrawlKeys.CONCURRENCY);
    return new CrawlSettings(
        crawlId,
        config.getString(CrawlKeys.USER_AGENT),
        config.getInt(CrawlKeys.MAX_DEPTH),
        config.getLong(CrawlKeys.MAX_PAGES),
        Math.min(
            config.getInt(CrawlKeys.MAX_BYTES), config.getInt(MillraceConfig.DOCUMENTS_MAX_BYTES)),
        config.getBoolean(CrawlKeys.REJECT_OVERSIZED),
        polite ? Duration.ofMillis(config.getLong(CrawlKeys.DELAY_MS)) : Duration.ZERO,
        concurrency,
        polite ? config.getInt(CrawlKeys.PER_HOST) : concurrency,
        Duration.ofMillis(config.getLong(CrawlKeys.CONNECT_TIMEOUT_MS)),
        Duration.ofMillis(config.getLong(CrawlKeys.FIRST_BYTE_TIMEOUT_MS)),
        Duration.ofMillis(config.getLong(CrawlKeys.TIMEOUT_MS)),
        config.getInt(CrawlKeys.MAX_REDIRECTS),
        config.getInt(CrawlKeys.RETRIES),
        Duration.ofMillis(config.getLong(CrawlKeys.RETRY_BACKOFF_MS)),
        Set.copyOf(config.getList(CrawlKeys.ACCEPT)),
        Duration.ofMinutes(config.getLong(CrawlKeys.ROBOTS_EXPIRY_MINUTES)),
        QueryHandling.valueOf(config.getString(CrawlKeys.QUERY).toUpperCase(Locale.ROOT)),
        config.getList(CrawlKeys.ALLOW_PRIVATE));
  }

  /** The defaults of every key, for a crawl named {@code crawlId}. */
  public static CrawlSettings defaults(String crawlId) {
    return from(MillraceConfig.of(Map.of()), crawlId);
  }

  /**
   * These settings for a site of our own on loopback (the demo, the benchmark): no pause, {@code
   * concurrency} requests at once to the one host, the loopback range allowed.
   */
  public CrawlSettings forOwnSite(int maxDepth, long maxPages, int concurrency, int retries) {
    return new CrawlSettings(
        crawlId,
        userAgent,
        maxDepth,
        maxPages,
        maxBytesPerPage,
        rejectOversized,
        Duration.ZERO,
        concurrency,
        concurrency,
        connectTimeout,
        firstByteTimeout,
        totalTimeout,
        maxRedirects,
        retries,
        retryBackoff,
        acceptedTypes,
        robotsExpiry,
        queryHandling,
        List.of("127.0.0.0/8"));
  }

  /** The robots.txt product token: the user agent's first word, before any '/'. */
  public String robotsName() {
    String token = userAgent.strip().split("[/\\s]", 2)[0];
    return token.toLowerCase(java.util.Locale.ROOT);
  }
}
