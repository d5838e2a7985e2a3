package org.millrace.producers.feed;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one feed did.
 *
 * @param files input files read (or found already fed)
 * @param documents documents published to docs.raw in this run
 * @param bytes bytes of the published documents' bodies
 * @param rejected records published to docs.rejected in this run
 * @param skippedFiles files of a format the feeder does not read
 * @param read records found in the input: published, rejected or already fed
 * @param alreadyFed records a previous run had published and Kafka acknowledged: not sent again
 * @param rejectedByReason the rejections of this run by reason code
 * @param skippedByKind what was skipped by design (WARC request records, binaries of a code tree)
 * @param interrupted whether the feed stopped before the end of its input (it can be run again)
 */
public record FeedSummary(
    long files,
    long documents,
    long bytes,
    long rejected,
    long skippedFiles,
    long read,
    long alreadyFed,
    Map<String, Long> rejectedByReason,
    Map<String, Long> skippedByKind,
    boolean interrupted) {

  @Override
  public String toString() {
    StringBuilder text =
        new StringBuilder(
            String.format(
                "%s: read %,d records from %,d files; fed %,d documents (%,d bytes); %,d rejected"
                    + " to docs.rejected; %,d already fed by an earlier run; %,d files skipped"
                    + " (format not supported)",
                interrupted ? "interrupted (run again to resume)" : "done",
                read,
                files,
                documents,
                bytes,
                rejected,
                alreadyFed,
                skippedFiles));
    if (!rejectedByReason.isEmpty()) {
      text.append("\n  rejected by reason: ").append(listed(rejectedByReason));
    }
    if (!skippedByKind.isEmpty()) {
      text.append("\n  skipped: ").append(listed(skippedByKind));
    }
    return text.toString();
  }

  private static String listed(Map<String, Long> counts) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(entry -> entry.getKey() + " " + String.format("%,d", entry.getValue()))
        .collect(Collectors.joining(", "));
  }
}
