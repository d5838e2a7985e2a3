package org.millrace.producers.feed;

import java.nio.file.Path;

/**
 * How {@code millrace feed} reads its input.
 *
 * @param textField the JSONL field and Parquet column that hold a document's plain text
 * @param code read every folder given as a code tree, not only those with a {@code .git} folder
 * @param codeFileMaxBytes source files larger than this are skipped (generated or data files)
 * @param progressDir where the acknowledged position of each input file is kept, for resuming; null
 *     to keep none (every run starts from the beginning)
 * @param stopAfterRecords stop cleanly after this many records were sent in this run, as an
 *     interrupted feed would (tests and the benchmark); {@code Long.MAX_VALUE} for no limit
 */
public record FeedSettings(
    String textField,
    boolean code,
    long codeFileMaxBytes,
    Path progressDir,
    long stopAfterRecords) {

  public static final String DEFAULT_TEXT_FIELD = "text";

  /**
   * 1 MiB: The Stack (Kocetkov et al. 2022, section 3) drops files over 1 MB as mostly data or
   * generated code.
   */
  public static final long DEFAULT_CODE_FILE_MAX_BYTES = 1L << 20;

  /** The defaults, with progress kept under {@code dataDir}/feed-progress. */
  public static FeedSettings defaults(Path dataDir) {
    return new FeedSettings(
        DEFAULT_TEXT_FIELD,
        false,
        DEFAULT_CODE_FILE_MAX_BYTES,
        dataDir.resolve("feed-progress"),
        Long.MAX_VALUE);
  }

  public FeedSettings withTextField(String field) {
    return new FeedSettings(field, code, codeFileMaxBytes, progressDir, stopAfterRecords);
  }

  public FeedSettings withCode(boolean everyFolderIsCode) {
    return new FeedSettings(
        textField, everyFolderIsCode, codeFileMaxBytes, progressDir, stopAfterRecords);
  }

  public FeedSettings withCodeFileMaxBytes(long bytes) {
    return new FeedSettings(textField, code, bytes, progressDir, stopAfterRecords);
  }

  public FeedSettings withProgressDir(Path dir) {
    return new FeedSettings(textField, code, codeFileMaxBytes, dir, stopAfterRecords);
  }

  public FeedSettings withStopAfterRecords(long records) {
    return new FeedSettings(textField, code, codeFileMaxBytes, progressDir, records);
  }
}
