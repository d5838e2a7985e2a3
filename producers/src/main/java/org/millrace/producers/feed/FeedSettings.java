package org.millrace.producers.feed;

/**
 * How {@code millrace feed} reads its input.
 *
 * @param textField the JSONL field and Parquet column that hold a document's plain text
 * @param code read every folder given as a code tree, not only those with a {@code .git} folder
 * @param codeFileMaxBytes source files larger than this are skipped (generated or data files)
 * @param resume read and keep each input file's progress in the feed.progress topic, so that a feed
 *     run again skips what an earlier run published; false to feed everything from the start
 * @param stopAfterRecords stop cleanly after this many records were sent in this run, as an
 *     interrupted feed would (tests and the benchmark); {@code Long.MAX_VALUE} for no limit
 */
public record FeedSettings(
    String textField, boolean code, long codeFileMaxBytes, boolean resume, long stopAfterRecords) {

  public static final String DEFAULT_TEXT_FIELD = "text";

  /**
   * 1 MiB: The Stack (Kocetkov et al. 2022, section 3) drops files over 1 MB as mostly data or
   * generated code.
   */
  public static final long DEFAULT_CODE_FILE_MAX_BYTES = 1L << 20;

  /** The defaults: resumable, no limit. */
  public static FeedSettings defaults() {
    return new FeedSettings(
        DEFAULT_TEXT_FIELD, false, DEFAULT_CODE_FILE_MAX_BYTES, true, Long.MAX_VALUE);
  }

  public FeedSettings withTextField(String field) {
    return new FeedSettings(field, code, codeFileMaxBytes, resume, stopAfterRecords);
  }

  public FeedSettings withCode(boolean everyFolderIsCode) {
    return new FeedSettings(
        textField, everyFolderIsCode, codeFileMaxBytes, resume, stopAfterRecords);
  }

  public FeedSettings withCodeFileMaxBytes(long bytes) {
    return new FeedSettings(textField, code, bytes, resume, stopAfterRecords);
  }

  public FeedSettings withResume(boolean resumable) {
    return new FeedSettings(textField, code, codeFileMaxBytes, resumable, stopAfterRecords);
  }

  public FeedSettings withStopAfterRecords(long records) {
    return new FeedSettings(textField, code, codeFileMaxBytes, resume, records);
  }
}
