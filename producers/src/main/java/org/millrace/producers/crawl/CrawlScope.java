package org.millrace.producers.crawl;

import crawlercommons.domains.EffectiveTldFinder;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which URLs a crawl may visit: those the {@link Kind} allows relative to the seeds, that match an
 * include pattern when there are any, and match no exclude pattern. URLs are normalised ({@link
 * UrlNormalizer}) before they are asked about. Patterns are Java regular expressions found anywhere
 * in the URL ({@link java.util.regex.Matcher#find()}).
 */
public final class CrawlScope {

  /** How far from the seeds a crawl may go. */
  public enum Kind {
    /** The seeds' hosts exactly: {@code docs.example.org} but not {@code www.example.org}. */
    HOST,
    /**
     * The seeds' registered domains (the public suffix list, via crawler-commons): {@code
     * example.org} and all its subdomains.
     */
    DOMAIN,
    /** URLs that start with one of the seeds, as normalised: a folder of a site. */
    PREFIX,
    /** Any host: the include and exclude patterns and the limits are the only bounds. */
    ANY
  }

  private final Kind kind;
  private final Set<String> allowed;
  private final List<Pattern> includes;
  private final List<Pattern> excludes;

  private CrawlScope(
      Kind kind, Set<String> allowed, List<Pattern> includes, List<Pattern> excludes) {
    this.kind = kind;
    this.allowed = allowed;
    this.includes = includes;
    this.excludes = excludes;
  }

  /** The scope of a crawl from normalised seed URLs. */
  public static CrawlScope of(
      Kind kind, Collection<String> seeds, List<String> includes, List<String> excludes) {
    Set<String> allowed =
        seeds.stream()
            .map(
                seed ->
                    switch (kind) {
                      case HOST -> host(seed);
                      case DOMAIN -> domain(host(seed));
                      case PREFIX, ANY -> seed;
                    })
            .collect(Collectors.toUnmodifiableSet());
    return new CrawlScope(kind, allowed, compile(includes), compile(excludes));
  }

  /** Whether the crawl may visit this normalised URL. */
  public boolean allows(String url) {
    String host = UrlNormalizer.hostOf(url).toLowerCase(Locale.ROOT);
    if (host.isEmpty()) {
      return false;
    }
    boolean inside =
        switch (kind) {
          case HOST -> allowed.contains(host);
          case DOMAIN -> allowed.contains(domain(host));
          case PREFIX -> allowed.stream().anyMatch(url::startsWith);
          case ANY -> true;
        };
    return inside
        && (includes.isEmpty() || includes.stream().anyMatch(p -> p.matcher(url).find()))
        && excludes.stream().noneMatch(p -> p.matcher(url).find());
  }

  private static String host(String url) {
    String host = URI.create(url).getHost();
    return host == null ? "" : host.toLowerCase(Locale.ROOT);
  }

  /** The registered domain (example.co.uk); the host itself for IP addresses and unknown TLDs. */
  private static String domain(String host) {
    if (host.startsWith("[") || host.matches("[0-9.]+")) {
      return host;
    }
    String domain = EffectiveTldFinder.getAssignedDomain(host, true, false);
    return domain == null ? host : domain;
  }

  private static List<Pattern> compile(List<String> patterns) {
    return patterns.stream().map(Pattern::compile).toList();
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(Locale.ROOT) + " " + allowed;
  }
}
