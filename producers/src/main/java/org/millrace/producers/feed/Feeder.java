package org.millrace.producers.feed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.millrace.producers.feed.InputFiles.Input;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.RejectedDocument;
import org.millrace.schemas.reject.RejectReason;
import org.millrace.schemas.reject.Rejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code millrace feed PATH...}: publishes files to docs.raw as {@link RawDocument}s in Kafka
 * transactions. The format of each file is detected from its first bytes and its name ({@link
 * FileFormat}): text and HTML files are one document each, JSONL one per line, WARC/WET one per
 * response or conversion record ({@link WarcDocuments}), Parquet one per row ({@link
 * ParquetDocuments}); a folder with a {@code .git} folder, or any folder with {@link
 * FeedSettings#code()}, is a code tree ({@link CodeTree}). Other folders are read recursively, in
 * sorted order. A record that cannot be a document goes to docs.rejected with the reason (stage
 * {@code feed}), never only to the log.
 *
 * <p>A document's id is its JSONL or Parquet {@code id} when it has one, otherwise derived from
 * where it was read (absolute path, and line, row or byte offset), so feeding the same file again
 * gives the same ids.
 *
 * <p>Resuming: the records of a file are numbered in the order its reader finds them. Every
 * transaction ({@link FeedTransaction}, at most a second or {@value #TRANSACTION_MAX_BYTES} bytes
 * long) also writes, for each file it touched, how many of its records have been sent ({@link
 * FeedProgress}), so that what a feed has published and what it says it published commit together.
 * A feed run again on the same, unchanged file skips those records, and skips a file whose every
 * record was published without reading it; a feed killed at any moment, run again, publishes every
 * record exactly once as read_committed consumers see docs.raw. The transactional id is derived
 * from the topics and the input paths, so that a feed of the same input started again fences a
 * killed predecessor at once instead of waiting for its transaction to time out.
 */
public final class Feeder implements AutoCloseable {

  public static final String STAGE = "feed";
  private static final Logger log = LoggerFactory.getLogger(Feeder.class);
  private static final Duration TRANSACTION_MAX_AGE = Duration.ofSeconds(1);

  /** The records of an open transaction are kept in memory, to be sent again if it fails. */
  static final long TRANSACTION_MAX_BYTES = 64L << 20;

  private final MillraceConfig config;
  private final Topics topics;
  private final int documentMaxBytes;
  private final int rejectedPayloadMaxBytes;
  private final FeedSettings options;
  private final AvroSerde<RawDocument> rawSerde = AvroSerde.rawDocument();
  private final AvroSerde<RejectedDocument> rejectedSerde = AvroSerde.rejectedDocument();
  private final Set<FileFeed> touched = new LinkedHashSet<>();
  private FeedProgress progress;
  private FeedTransaction transaction;
  private volatile boolean stopRequested;

  private long files;
  private long documents;
  private long bytes;
  private long rejected;
  private long skippedFiles;
  private long read;
  private long alreadyFed;
  private long sentThisRun;
  private final Map<String, Long> rejectedByReason = new TreeMap<>();
  private final Map<String, Long> skippedByKind = new TreeMap<>();

  public Feeder(MillraceConfig config) {
    this(config, FeedSettings.defaults());
  }

  public Feeder(MillraceConfig config, FeedSettings options) {
    this.config = config;
    this.topics = Topics.of(config);
    this.documentMaxBytes = config.getInt(MillraceConfig.DOCUMENTS_MAX_BYTES);
    this.rejectedPayloadMaxBytes = config.getInt(MillraceConfig.REJECTED_PAYLOAD_MAX_BYTES);
    this.options = options;
  }

  /**
   * Feeds every path, commits the last transaction, and says what it did. After {@link
   * #requestStop()}, it stops at the next record and does the same.
   */
  public FeedSummary feed(List<Path> paths) throws IOException {
    List<Input> inputs = InputFiles.under(paths, options.code());
    long totalBytes = 0;
    for (Input input : inputs) {
      totalBytes += Files.size(input.file());
    }
    String transactionalId = transactionalIdOf(paths);
    try (FeedTransaction opened =
        new FeedTransaction(
            () ->
                new KafkaProducer<>(
                    KafkaClientProperties.transactionalProducer(
                        config, "millrace-feeder", transactionalId)),
            () -> FeedProgress.read(config, topics.feedProgress()),
            topics.feedProgress(),
            transactionalId)) {
      transaction = opened;
      progress = options.resume() ? opened.committedAtStart() : FeedProgress.NONE;
      return feed(inputs, totalBytes);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      touched.clear();
      transaction = null;
    }
  }

  private FeedSummary feed(List<Input> inputs, long totalBytes) throws IOException {
    FeedProgressBar bar = FeedProgressBar.forTerminal(totalBytes, inputs.size());
    boolean interrupted = false;
    long bytesDone = 0;
    int filesDone = 0;
    try {
      for (Input input : inputs) {
        feedFile(input);
        bytesDone += Files.size(input.file());
        filesDone++;
        if (bar != null) {
          bar.update(filesDone, bytesDone, documents, false);
        }
      }
    } catch (FeedStopped e) {
      interrupted = true;
      log.info(
          "Feed stopped after {} records sent in this run; run it again to resume", sentThisRun);
    }
    commit();
    if (bar != null) {
      bar.update(filesDone, bytesDone, documents, true);
    }
    return new FeedSummary(
        files,
        documents,
        bytes,
        rejected,
        skippedFiles,
        read,
        alreadyFed,
        Map.copyOf(rejectedByReason),
        Map.copyOf(skippedByKind),
        interrupted);
  }

  /**
   * Asks a running {@link #feed} to stop at the next record, commit what it sent with its progress,
   * then return (Ctrl-C). Any thread may call it.
   */
  public void requestStop() {
    stopRequested = true;
  }

  private void feedFile(Input input) throws IOException {
    Path file = input.file();
    if (input.format() == FileFormat.UNSUPPORTED) {
      skippedFiles++;
      log.debug("Skipping {}: not a format the feeder reads", file);
      return;
    }
    files++;
    FeedProgress.FileState state = progress.load(file);
    if (state.complete()) {
      log.debug("Skipping {}: fed completely by an earlier run", file);
      alreadyFed += state.records();
      read += state.records();
      return;
    }
    FileFeed feed = new FileFeed(file, state.records());
    InputFiles.read(input, options.textField(), options.codeFileMaxBytes(), feed);
    feed.readToEnd = true;
    touched.add(feed);
  }

  /** Stops the reading of the input where it is; not an error. */
  private static final class FeedStopped extends RuntimeException {
    FeedStopped() {
      super(null, null, false, false);
    }
  }

  /** The records of one input file as its reader finds them: numbered, skipped or sent. */
  private final class FileFeed implements RecordSink {
    private final Path file;
    private final long publishedEarlier;
    private long records;
    private boolean readToEnd;

    FileFeed(Path file, long publishedEarlier) {
      this.file = file;
      this.publishedEarlier = publishedEarlier;
    }

    @Override
    public void document(RawDocument document) {
      long record = nextRecord();
      if (record < 0) {
        return;
      }
      byte[] key = document.getId().getBytes(StandardCharsets.UTF_8);
      send(new ProducerRecord<>(topics.raw(), key, rawSerde.encode(document)), record);
      documents++;
      bytes += document.getBody().remaining();
      if (documents % 100_000 == 0) {
        log.info("Fed {} documents", documents);
      }
    }

    @Override
    public void rejected(
        String source, RejectReason reason, String detail, byte[] payload, long size) {
      long record = nextRecord();
      if (record < 0) {
        return;
      }
      RejectedDocument rejection =
          Rejection.ofSource(
              idOf(source), STAGE, reason, detail, source, payload, rejectedPayloadMaxBytes);
      rejection.setPayloadSize(size);
      byte[] key = rejection.getId().getBytes(StandardCharsets.UTF_8);
      send(new ProducerRecord<>(topics.rejected(), key, rejectedSerde.encode(rejection)), record);
      rejected++;
      rejectedByReason.merge(reason.code(), 1L, Long::sum);
      log.warn("Rejected {}: {} ({})", source, reason.code(), detail);
    }

    @Override
    public void skipped(String kind) {
      skippedByKind.merge(kind, 1L, Long::sum);
    }

    @Override
    public int documentMaxBytes() {
      return documentMaxBytes;
    }

    /** The number of the next record, or -1 when an earlier run already published it. */
    private long nextRecord() {
      if (stopRequested || sentThisRun >= options.stopAfterRecords()) {
        throw new FeedStopped();
      }
      long record = records++;
      read++;
      if (record < publishedEarlier) {
        alreadyFed++;
        return -1;
      }
      return record;
    }

    private void send(ProducerRecord<byte[], byte[]> message, long record) {
      sentThisRun++;
      transaction.send(message);
      touched.add(this);
      if (transaction.age().compareTo(TRANSACTION_MAX_AGE) > 0
          || transaction.bytes() >= TRANSACTION_MAX_BYTES) {
        try {
          commit();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  /** Commits the open transaction with the progress of every file it touched. */
  private void commit() throws IOException {
    List<ProducerRecord<byte[], byte[]>> progressRecords = new ArrayList<>();
    if (options.resume()) {
      for (FileFeed feed : touched) {
        progressRecords.add(
            FeedProgress.record(topics.feedProgress(), feed.file, feed.records, feed.readToEnd));
      }
    }
    transaction.commit(progressRecords);
    touched.clear();
  }

  /**
   * The transactional id of a feed of these paths into these topics: the same for a feed started
   * again, so that it fences its killed predecessor.
   */
  private String transactionalIdOf(List<Path> paths) {
    List<String> names =
        paths.stream().map(p -> p.toAbsolutePath().normalize().toString()).sorted().toList();
    return "millrace-feed-" + idOf(topics.raw() + "\n" + String.join("\n", names));
  }

  /** 16 hex digits of SHA-256 of where the document was read: stable across runs. */
  static String idOf(String source) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Nothing to close: each {@link #feed} closes its producer. */
  @Override
  public void close() {}
}
