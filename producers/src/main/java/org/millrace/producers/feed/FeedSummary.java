package org.millrace.producers.feed;

/** What one feed did. */
public record FeedSummary(
    long files, long documents, long bytes, long rejected, long skippedFiles) {

  @Override
  public String toString() {
    return String.format(
        "fed %,d documents (%,d bytes) from %,d files; %,d rejected to docs.rejected; %,d files"
            + " skipped (format not supported)",
        documents, bytes, files, rejected, skippedFiles);
  }
}
