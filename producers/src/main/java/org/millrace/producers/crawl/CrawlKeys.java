package org.millrace.producers.crawl;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.millrace.runtime.config.ConfigKeys;

/**
 * The crawler's configuration keys: every knob of {@link CrawlSettings}, so that a properties file,
 * the environment ({@code MILLRACE_CRAWL_MAX_PAGES}) and compose can set them as well as {@code
 * millrace crawl}'s options, which are made from these definitions (their help is the documentation
 * here, with the default) and override them.
 */
public final class CrawlKeys implements ConfigKeys {

  public static final String SCOPE = "crawl.scope";
  public static final String INCLUDE = "crawl.include";
  public static final String EXCLUDE = "crawl.exclude";
  public static final String MAX_DEPTH = "crawl.max.depth";
  public static final String MAX_PAGES = "crawl.max.pages";
  public static final String MAX_BYTES = "crawl.max.bytes";
  public static final String REJECT_OVERSIZED = "crawl.reject.oversized";
  public static final String DELAY_MS = "crawl.delay.ms";
  public static final String CONCURRENCY = "crawl.concurrency";
  public static final String PER_HOST = "crawl.per.host";
  public static final String POLITENESS = "crawl.politeness";
  public static final String CONNECT_TIMEOUT_MS = "crawl.connect.timeout.ms";
  public static final String FIRST_BYTE_TIMEOUT_MS = "crawl.first.byte.timeout.ms";
  public static final String TIMEOUT_MS = "crawl.timeout.ms";
  public static final String MAX_REDIRECTS = "crawl.max.redirects";
  public static final String RETRIES = "crawl.retries";
  public static final String RETRY_BACKOFF_MS = "crawl.retry.backoff.ms";
  public static final String ACCEPT = "crawl.accept";
  public static final String USER_AGENT = "crawl.user.agent";
  public static final String ROBOTS_EXPIRY_MINUTES = "crawl.robots.expiry.minutes";
  public static final String QUERY = "crawl.query";
  public static final String ALLOW_PRIVATE = "crawl.allow.private";

  @Override
  public int order() {
    return 10;
  }

  @Override
  public void define(ConfigDef definition) {
    definition
        .define(
            SCOPE,
            Type.STRING,
            "host",
            ConfigDef.CaseInsensitiveValidString.in("host", "domain", "prefix", "any"),
            Importance.MEDIUM,
            "Which links `millrace crawl` follows: host (the seeds' hosts), domain (their"
                + " registered domains, by the public-suffix list), prefix (URLs under a seed) or"
                + " any.")
        .define(
            INCLUDE,
            Type.LIST,
            "",
            Importance.LOW,
            "Regular expressions: only URLs that match one are crawled (comma-separated; empty:"
                + " all).")
        .define(
            EXCLUDE,
            Type.LIST,
            "",
            Importance.LOW,
            "Regular expressions: no URL that matches one is crawled (comma-separated).")
        .define(
            MAX_DEPTH,
            Type.INT,
            5,
            atLeast(0),
            Importance.MEDIUM,
            "Links followed from a seed (a seed is depth 0); redirects do not count.")
        .define(
            MAX_PAGES,
            Type.LONG,
            1_000,
            atLeast(1),
            Importance.MEDIUM,
            "Pages requested (robots.txt not counted), over every run of the crawl.")
        // 2 MiB a page.
        .define(
            MAX_BYTES,
            Type.INT,
            2 * 1024 * 1024,
            atLeast(1),
            Importance.LOW,
            "Body bytes kept per page after decompression, no more than `documents.max.bytes`.")
        .define(
            REJECT_OVERSIZED,
            Type.BOOLEAN,
            false,
            Importance.LOW,
            "A page longer than `crawl.max.bytes` goes to docs.rejected (too_large) instead of"
                + " being kept cut, with truncated=true in its metadata.")
        // One request a second per host: the convention of Heritrix and Nutch (1 to 5 s).
        .define(
            DELAY_MS,
            Type.LONG,
            1_000,
            atLeast(0),
            Importance.MEDIUM,
            "Pause between two requests to one host; a longer robots.txt Crawl-delay wins.")
        .define(
            CONCURRENCY,
            Type.INT,
            8,
            atLeast(1),
            Importance.MEDIUM,
            "Requests in flight at once, over all hosts.")
        .define(
            PER_HOST,
            Type.INT,
            1,
            atLeast(1),
            Importance.LOW,
            "Requests in flight at once to one host.")
        .define(
            POLITENESS,
            Type.BOOLEAN,
            true,
            Importance.LOW,
            "false: no pause and `crawl.concurrency` requests per host, for your own servers only.")
        .define(
            CONNECT_TIMEOUT_MS,
            Type.LONG,
            5_000,
            atLeast(1),
            Importance.LOW,
            "Time to open a connection.")
        .define(
            FIRST_BYTE_TIMEOUT_MS,
            Type.LONG,
            10_000,
            atLeast(1),
            Importance.LOW,
            "Time from sending a request to the response's headers.")
        .define(
            TIMEOUT_MS,
            Type.LONG,
            30_000,
            atLeast(1),
            Importance.LOW,
            "Time for a whole exchange, body included: a server that stalls is left.")
        .define(
            MAX_REDIRECTS,
            Type.INT,
            5,
            atLeast(0),
            Importance.LOW,
            "Redirect hops followed from a requested URL.")
        .define(
            RETRIES,
            Type.INT,
            2,
            atLeast(0),
            Importance.LOW,
            "Further attempts after a timeout, a connection failure, a 5xx or a 429.")
        .define(
            RETRY_BACKOFF_MS,
            Type.LONG,
            1_000,
            atLeast(0),
            Importance.LOW,
            "Pause before the first retry, doubled before each next one.")
        .define(
            ACCEPT,
            Type.LIST,
            "text/html,application/xhtml+xml,text/plain",
            Importance.LOW,
            "Media types kept as documents; others go to docs.rejected"
                + " (unsupported_content_type).")
        .define(
            USER_AGENT,
            Type.STRING,
            "MillraceBot/0.1 (+https://github.com/millrace/millrace)",
            Importance.LOW,
            "Sent with every request; its first word (before '/') is the robots.txt group obeyed.")
        // RFC 9309 section 2.4: a robots.txt is cached no more than 24 hours.
        .define(
            ROBOTS_EXPIRY_MINUTES,
            Type.LONG,
            24 * 60,
            atLeast(0),
            Importance.LOW,
            "How long a host's robots.txt is used before it is fetched again.")
        .define(
            QUERY,
            Type.STRING,
            "keep",
            ConfigDef.CaseInsensitiveValidString.in("keep", "sort", "drop"),
            Importance.LOW,
            "What URL normalisation does with queries: keep them, sort their parameters, or drop"
                + " them.")
        .define(
            ALLOW_PRIVATE,
            Type.LIST,
            "",
            Importance.LOW,
            "Non-public address ranges the crawler may fetch from (CIDR, comma-separated; `*`:"
                + " all). Empty: public addresses only. For tests and local demos.");
  }
}
