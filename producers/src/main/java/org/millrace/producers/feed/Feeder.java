package org.millrace.producers.feed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
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
 * {@code millrace feed PATH...}: publishes files to docs.raw as {@link RawDocument}s with an
 * idempotent producer. The format of each file is detected from its first bytes and its name
 * ({@link FileFormat}): text and HTML files are one document each, JSONL one per line, WARC/WET one
 * per response or conversion record ({@link WarcDocuments}), Parquet one per row ({@link
 * ParquetDocuments}); a folder with a {@code .git} folder, or any folder with {@link
 * FeedSettings#code()}, is a code tree ({@link CodeTree}). Other folders are read recursively, in
 * sorted order. A record that cannot be a document goes to docs.rejected with the reason (stage
 * {@code feed}), never only to the log.
 *
 * <p>A document's id is its JSONL or Parquet {@code id} when it has one, otherwise derived from
 * where it was read (absolute path, and line, row or byte offset), so feeding the same file again
 * gives the same ids.
 *
 * <p>Resuming: the records of a file are numbered in the order its reader finds them; the numbers
 * Kafka acknowledged (the producer's callback said so) are kept in {@link FeedProgress}, at most a
 * second late and at the end. A feed run again on the same, unchanged file skips those records, and
 * skips a file whose every record was acknowledged without reading it.
 */
public final class Feeder implements AutoCloseable {

  public static final String STAGE = "feed";
  private static final Logger log = LoggerFactory.getLogger(Feeder.class);
  private static final long SAVE_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

  private final Producer<byte[], byte[]> producer;
  private final Topics topics;
  private final int documentMaxBytes;
  private final int rejectedPayloadMaxBytes;
  private final FeedSettings options;
  private final FeedProgress progress;
  private final AvroSerde<RawDocument> rawSerde = AvroSerde.rawDocument();
  private final AvroSerde<RejectedDocument> rejectedSerde = AvroSerde.rejectedDocument();
  private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
  private final List<FileFeed> unsaved = new ArrayList<>();
  private volatile boolean stopRequested;

  private long files;
  private long documents;
  private long bytes;
  private long rejected;
  private long skippedFiles;
  private long read;
  private long alreadyFed;
  private long sentThisRun;
  private long lastSave = System.nanoTime();
  private final Map<String, Long> rejectedByReason = new TreeMap<>();
  private final Map<String, Long> skippedByKind = new TreeMap<>();

  public Feeder(MillraceConfig config) {
    this(config, FeedSettings.defaults(config.dataDir()));
  }

  public Feeder(MillraceConfig config, FeedSettings options) {
    this(
        new KafkaProducer<>(KafkaClientProperties.producer(config, "millrace-feeder")),
        config,
        options);
  }

  Feeder(Producer<byte[], byte[]> producer, MillraceConfig config, FeedSettings options) {
    this.producer = producer;
    this.topics = Topics.of(config);
    this.documentMaxBytes = config.getInt(MillraceConfig.DOCUMENTS_MAX_BYTES);
    this.rejectedPayloadMaxBytes = config.getInt(MillraceConfig.REJECTED_PAYLOAD_MAX_BYTES);
    this.options = options;
    this.progress = new FeedProgress(options.progressDir());
  }

  /**
   * Feeds every path, waits until Kafka has acknowledged every record, keeps the progress, and says
   * what it did. After {@link #stop()}, it stops at the next record and does the same.
   */
  public FeedSummary feed(List<Path> paths) throws IOException {
    List<Input> inputs = InputFiles.under(paths, options.code());
    long totalBytes = 0;
    for (Input input : inputs) {
      totalBytes += Files.size(input.file());
    }
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
    producer.flush();
    saveProgress(true);
    if (bar != null) {
      bar.update(filesDone, bytesDone, documents, true);
    }
    Exception failure = sendFailure.get();
    if (failure != null) {
      throw new IOException(
          "Kafka refused records (the acknowledged ones are kept; run again to resume): "
              + failure.getMessage(),
          failure);
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
   * Asks a running {@link #feed} to stop at the next record, wait for Kafka's acknowledgements and
   * keep its progress, then return (Ctrl-C). Any thread may call it.
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
      alreadyFed += state.watermark();
      read += state.watermark();
      return;
    }
    FileFeed feed =
        new FileFeed(file, new AcknowledgedRecords(state.watermark(), state.aboveWatermark()));
    unsaved.add(feed);
    InputFiles.read(input, options.textField(), options.codeFileMaxBytes(), feed);
    feed.readToEnd = true;
  }

  /** Stops the reading of the input where it is; not an error. */
  private static final class FeedStopped extends RuntimeException {
    FeedStopped() {
      super(null, null, false, false);
    }
  }

  /** The records of one input file as its reader finds them: numbered, sent, acknowledged. */
  private final class FileFeed implements RecordSink {
    private final Path file;
    private final AcknowledgedRecords acknowledged;
    private long records;
    private boolean readToEnd;

    FileFeed(Path file, AcknowledgedRecords acknowledged) {
      this.file = file;
      this.acknowledged = acknowledged;
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

    /** The number of the next record, or -1 when an earlier run already had it acknowledged. */
    private long nextRecord() {
      if (stopRequested || sentThisRun >= options.stopAfterRecords()) {
        throw new FeedStopped();
      }
      long record = records++;
      read++;
      if (acknowledged.contains(record)) {
        alreadyFed++;
        return -1;
      }
      return record;
    }

    private void send(ProducerRecord<byte[], byte[]> message, long record) {
      sentThisRun++;
      producer.send(
          message,
          (metadata, exception) -> {
            if (exception == null) {
              acknowledged.acknowledge(record);
            } else {
              sendFailure.compareAndSet(null, exception);
            }
          });
      if (System.nanoTime() - lastSave > SAVE_INTERVAL_NANOS) {
        saveProgress(false);
      }
    }
  }

  /**
   * Writes what Kafka acknowledged so far; a file whose reading ended and whose records were all
   * acknowledged is then done with. Called from the feeding thread only.
   */
  private void saveProgress(boolean end) {
    lastSave = System.nanoTime();
    List<FileFeed> done = new ArrayList<>();
    for (FileFeed feed : unsaved) {
      boolean complete = feed.readToEnd && feed.acknowledged.watermark() == feed.records;
      if (end || complete || feed == unsaved.get(unsaved.size() - 1)) {
        progress.save(feed.file, feed.acknowledged, feed.records, feed.readToEnd);
      }
      if (complete) {
        done.add(feed);
      }
    }
    unsaved.removeAll(done);
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

  @Override
  public void close() {
    producer.close();
  }
}
