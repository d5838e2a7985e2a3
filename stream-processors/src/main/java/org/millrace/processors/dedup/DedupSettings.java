package org.millrace.processors.dedup;

import java.time.Duration;
import org.millrace.runtime.config.MillraceConfig;

/**
 * What the dedup stage removes and how it remembers (the {@code dedup.*} keys of
 * docs/configuration.md).
 *
 * @param urls whether documents with an already seen normalised URL are removed
 * @param near whether near duplicates are looked for (exact ones always are)
 * @param lsh the bands and rows of locality-sensitive hashing
 * @param shingleWords words per shingle
 * @param verify whether a candidate must reach {@code threshold} to count as a near duplicate
 * @param threshold the estimated Jaccard similarity of a verified near duplicate
 * @param bucketMaxMembers documents an LSH bucket keeps to compare later ones with
 * @param retentionMs how long a bucket is remembered, by record time; -1 forever
 */
public record DedupSettings(
    boolean urls,
    boolean near,
    LshBands lsh,
    int shingleWords,
    boolean verify,
    double threshold,
    int bucketMaxMembers,
    long retentionMs) {

  /**
   * How often, in stream time, what is older than the retention is forgotten: a tenth of it,
   * between 1 s and 1 minute.
   */
  public Duration forgetEvery() {
    return Duration.ofMillis(Math.max(1000, Math.min(60_000, retentionMs / 10)));
  }

  public static DedupSettings from(MillraceConfig config) {
    return new DedupSettings(
        config.getBoolean(DedupKeys.URL_ENABLED),
        config.getBoolean(DedupKeys.NEAR_ENABLED),
        new LshBands(config.getInt(DedupKeys.NEAR_BANDS), config.getInt(DedupKeys.NEAR_ROWS)),
        config.getInt(DedupKeys.NEAR_SHINGLE_WORDS),
        config.getBoolean(DedupKeys.NEAR_VERIFY),
        config.getDouble(DedupKeys.NEAR_THRESHOLD),
        config.getInt(DedupKeys.NEAR_BUCKET_MAX_MEMBERS),
        config.getLong(DedupKeys.RETENTION_MS));
  }
}
