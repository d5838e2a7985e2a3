package org.millrace.processors.dedup;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.millrace.runtime.config.ConfigKeys;

/**
 * The dedup stage's configuration keys (docs/dedup.md). Composed with every other module's keys
 * into {@link org.millrace.runtime.config.MillraceConfig}; docs/configuration.md lists them.
 */
public final class DedupKeys implements ConfigKeys {

  public static final String URL_ENABLED = "dedup.url.enabled";
  public static final String NEAR_ENABLED = "dedup.near.enabled";
  public static final String NEAR_BANDS = "dedup.near.bands";
  public static final String NEAR_ROWS = "dedup.near.rows";
  public static final String NEAR_SHINGLE_WORDS = "dedup.near.shingle.words";
  public static final String NEAR_VERIFY = "dedup.near.verify";
  public static final String NEAR_THRESHOLD = "dedup.near.threshold";
  public static final String NEAR_BUCKET_MAX_MEMBERS = "dedup.near.bucket.max.members";
  public static final String RETENTION_MS = "dedup.retention.ms";

  @Override
  public int order() {
    return 30;
  }

  @Override
  public void define(ConfigDef definition) {
    definition
        // Deduplication
        .define(
            URL_ENABLED,
            Type.BOOLEAN,
            false,
            Importance.MEDIUM,
            "Also remove a document whose normalised URL (lower-case scheme and host, no default"
                + " port, fragment or utm_* parameters) was seen before, whatever its text. Off"
                + " by default: a page fetched twice may have changed, and content dedup catches"
                + " the copies that did not.")
        .define(
            NEAR_ENABLED,
            Type.BOOLEAN,
            true,
            Importance.MEDIUM,
            "Remove near duplicates found by MinHash locality-sensitive hashing, as FineWeb does."
                + " Exact duplicates are always removed.")
        .define(
            NEAR_BANDS,
            Type.INT,
            14,
            between(1, 256),
            Importance.LOW,
            "LSH bands b. With r rows, documents of Jaccard similarity s become candidates with"
                + " probability 1-(1-s^r)^b (docs/dedup.md). FineWeb: 14.")
        .define(
            NEAR_ROWS,
            Type.INT,
            8,
            between(1, 64),
            Importance.LOW,
            "LSH rows per band r; the signature has b·r hashes. FineWeb: 8 (112 hashes, the"
                + " S-curve's threshold about 0.72).")
        .define(
            NEAR_SHINGLE_WORDS,
            Type.INT,
            5,
            between(1, 32),
            Importance.LOW,
            "Words per shingle (word n-grams whose sets MinHash compares). FineWeb: 5.")
        .define(
            NEAR_VERIFY,
            Type.BOOLEAN,
            true,
            Importance.LOW,
            "Declare a candidate a near duplicate only when the Jaccard similarity estimated from"
                + " the whole signatures reaches dedup.near.threshold; false: any shared bucket"
                + " makes a duplicate, as datatrove does.")
        .define(
            NEAR_THRESHOLD,
            Type.DOUBLE,
            0.72,
            between(0.0, 1.0),
            Importance.LOW,
            "The estimated Jaccard similarity a verified candidate must reach.")
        .define(
            NEAR_BUCKET_MAX_MEMBERS,
            Type.INT,
            8,
            between(1, 1024),
            Importance.LOW,
            "Documents an LSH bucket keeps to compare later ones with: the first, and those that"
                + " met it but did not verify as copies. Bounds the state of a crowded bucket.")
        .define(
            RETENTION_MS,
            Type.LONG,
            -1L,
            atLeast(-1),
            Importance.MEDIUM,
            "How long the dedup stage remembers a URL, text or LSH bucket, by the records'"
                + " timestamps: -1 forever (global deduplication; the state grows with the"
                + " corpus, docs/dedup.md gives bytes per document); otherwise a document is"
                + " compared with those seen in the last dedup.retention.ms.");
  }
}
