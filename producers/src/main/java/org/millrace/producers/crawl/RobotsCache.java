package org.millrace.producers.crawl;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRules;
import crawlercommons.robots.SimpleRobotRules.RobotRulesMode;
import crawlercommons.robots.SimpleRobotRulesParser;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.millrace.producers.crawl.AddressPolicy.RefusedAddressException;

/**
 * The robots.txt of each origin (scheme, host, port), fetched once and kept for {@code
 * robotsExpiry}, parsed by crawler-commons' {@link SimpleRobotRulesParser} (RFC 9309: Allow,
 * Disallow, longest match wins, Crawl-delay) for our product token.
 *
 * <p>RFC 9309 section 2.3.1: a robots.txt that is unavailable (4xx) allows everything; one that is
 * unreachable (5xx, network failure, timeout) disallows everything for now, and is asked again
 * after a short while rather than after {@code robotsExpiry}. Redirects are followed up to five
 * hops, each checked by the address policy. Threads asking for the same origin at once wait for one
 * fetch.
 */
final class RobotsCache {

  /** RFC 9309 section 2.5: parse at least the first 500 KiB. */
  static final int MAX_BYTES = 500 * 1024;

  private static final int MAX_HOPS = 5;
  private static final Duration RETRY_UNREACHABLE = Duration.ofMinutes(1);

  /** The rules of an origin, and whether this call fetched them (a request to the host). */
  record Lookup(BaseRobotRules rules, boolean fetchedNow) {}

  private record Entry(CompletableFuture<BaseRobotRules> rules, Instant expires) {}

  private final PageFetcher fetcher;
  private final List<String> robotNames;
  private final Duration expiry;
  private final Clock clock;
  private final ConcurrentMap<String, Entry> cache = new ConcurrentHashMap<>();

  RobotsCache(PageFetcher fetcher, String robotName, Duration expiry, Clock clock) {
    this.fetcher = fetcher;
    this.robotNames = List.of(robotName);
    this.expiry = expiry;
    this.clock = clock;
  }

  /** The rules for the URL's origin, fetched if not cached or expired. */
  Lookup rulesFor(URI url) throws InterruptedException {
    String origin = origin(url);
    CompletableFuture<BaseRobotRules> mine = new CompletableFuture<>();
    Instant now = clock.instant();
    Entry entry =
        cache.compute(
            origin,
            (key, cached) ->
                cached == null || cached.expires().isBefore(now)
                    ? new Entry(mine, Instant.MAX)
                    : cached);
    if (entry.rules() != mine) {
      try {
        return new Lookup(entry.rules().get(), false);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("robots.txt fetch failed unexpectedly", e.getCause());
      }
    }
    Fetched fetched = fetch(URI.create(origin + "/robots.txt"));
    Instant expires = clock.instant().plus(fetched.reachable() ? expiry : RETRY_UNREACHABLE);
    cache.put(origin, new Entry(mine, expires));
    mine.complete(fetched.rules());
    return new Lookup(fetched.rules(), true);
  }

  private record Fetched(BaseRobotRules rules, boolean reachable) {}

  private Fetched fetch(URI robotsUrl) throws InterruptedException {
    SimpleRobotRulesParser parser = new SimpleRobotRulesParser();
    URI current = robotsUrl;
    try {
      for (int hop = 0; hop <= MAX_HOPS; hop++) {
        PageFetcher.Response response = fetcher.get(current, MAX_BYTES, info -> true);
        int status = response.status();
        if (status >= 300
            && status < 400
            && response.headers().firstValue("location").isPresent()) {
          current = current.resolve(response.headers().firstValue("location").get());
          continue;
        }
        if (status >= 200 && status < 300) {
          return new Fetched(
              parser.parseContent(
                  current.toString(),
                  response.body(),
                  response.headers().firstValue("content-type").orElse("text/plain"),
                  robotNames),
              true);
        }
        return new Fetched(parser.failedFetch(status), status < 500);
      }
      // RFC 9309 2.3.1.2: more than five redirects is "unavailable": allowed.
      return new Fetched(new SimpleRobotRules(RobotRulesMode.ALLOW_ALL), true);
    } catch (IOException | RefusedAddressException | IllegalArgumentException e) {
      return new Fetched(new SimpleRobotRules(RobotRulesMode.ALLOW_NONE), false);
    }
  }

  static String origin(URI url) {
    return url.getScheme() + "://" + url.getRawAuthority();
  }
}
