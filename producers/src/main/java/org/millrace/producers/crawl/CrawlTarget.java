package org.millrace.producers.crawl;

/**
 * A URL the crawl will request.
 *
 * @param url normalised
 * @param depth links from a seed (a seed is 0)
 * @param redirects hops from {@code requestedUrl} to this URL (0 when it was linked)
 * @param requestedUrl the URL that was linked or seeded; {@code url} itself unless redirected
 */
record CrawlTarget(String url, int depth, int redirects, String requestedUrl) {

  static CrawlTarget seed(String url) {
    return new CrawlTarget(url, 0, 0, url);
  }

  /** The politeness key: one request at a time per host name, whatever the scheme and port. */
  String host() {
    return UrlNormalizer.hostOf(url);
  }
}
