package org.millrace.producers.crawl;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a crawl did, in this run (the page count {@code pagesFetchedInAllRuns} includes earlier runs
 * of the same crawl id).
 *
 * @param rejected pages that became no document, by reason code (they went to docs.rejected; a
 *     refused address is a {@code fetch_failed})
 * @param skipped URLs closed without becoming a document nor a rejection, by cause: {@code robots}
 *     (robots.txt disallows, or is unreachable), {@code redirect_out_of_scope}, {@code
 *     redirect_seen} (redirect to a URL already queued), {@code redirect} (a hop that was followed)
 */
public record CrawlSummary(
    long pagesFetched,
    long pagesFetchedInAllRuns,
    long documents,
    long bytes,
    long truncated,
    Map<String, Long> rejected,
    Map<String, Long> skipped,
    long queued,
    double seconds) {

  public long errors() {
    return rejected.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The live line: pages fetched and queued, errors, bytes/s. */
  public String progressLine() {
    return String.format(
        "crawl: %,d pages fetched, %,d queued, %,d documents, %,d errors, %,.0f KB/s",
        pagesFetched, queued, documents, errors(), bytes / 1e3 / Math.max(seconds, 1e-3));
  }

  @Override
  public String toString() {
    return String.format(
        "crawled %,d pages in %.1f s (%,.1f pages/s; %,d in all runs of this crawl): %,d documents"
            + " (%,d bytes, %,d cut at the size limit) to docs.raw; %,d to docs.rejected %s;"
            + " skipped %s; %,d URLs still queued",
        pagesFetched,
        seconds,
        pagesFetched / Math.max(seconds, 1e-3),
        pagesFetchedInAllRuns,
        documents,
        bytes,
        truncated,
        errors(),
        format(rejected),
        format(skipped),
        queued);
  }

  private static String format(Map<String, Long> counts) {
    return counts.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", ", "{", "}"));
  }
}
