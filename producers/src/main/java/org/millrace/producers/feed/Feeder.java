package org.millrace.producers.feed;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.RawDocumentJson;
import org.millrace.schemas.RejectedDocument;
import org.millrace.schemas.reject.DocumentRejectedException;
import org.millrace.schemas.reject.RejectReason;
import org.millrace.schemas.reject.Rejection;
import org.millrace.schemas.reject.StrictText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code millrace feed PATH...}: publishes files to docs.raw as {@link RawDocument}s with an
 * idempotent producer. Text and HTML files are one document each; JSONL files one document per
 * line. Directories are read recursively, in sorted order. A line or file that cannot be a document
 * goes to docs.rejected with the reason (stage {@code feed}), never only to the log.
 *
 * <p>A document's id is its JSONL {@code id} field when it has one, otherwise derived from where it
 * was read (absolute path, and line for JSONL), so feeding the same file again gives the same ids.
 */
public final class Feeder implements AutoCloseable {

  public static final String STAGE = "feed";
  private static final Logger log = LoggerFactory.getLogger(Feeder.class);

  private final Producer<byte[], byte[]> producer;
  private final Topics topics;
  private final int documentMaxBytes;
  private final int rejectedPayloadMaxBytes;
  private final AvroSerde<RawDocument> rawSerde = AvroSerde.rawDocument();
  private final AvroSerde<RejectedDocument> rejectedSerde = AvroSerde.rejectedDocument();
  private final AtomicReference<Exception> sendFailure = new AtomicReference<>();

  private long files;
  private long documents;
  private long bytes;
  private long rejected;
  private long skippedFiles;

  public Feeder(MillraceConfig config) {
    this(new KafkaProducer<>(KafkaClientProperties.producer(config, "millrace-feeder")), config);
  }

  Feeder(Producer<byte[], byte[]> producer, MillraceConfig config) {
    this.producer = producer;
    this.topics = Topics.of(config);
    this.documentMaxBytes = config.getInt(MillraceConfig.DOCUMENTS_MAX_BYTES);
    this.rejectedPayloadMaxBytes = config.getInt(MillraceConfig.REJECTED_PAYLOAD_MAX_BYTES);
  }

  /** Feeds every path, waits until Kafka has acknowledged every record, and says what it did. */
  public FeedSummary feed(List<Path> paths) throws IOException {
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new IOException("no such file or directory: " + path);
      }
    }
    for (Path path : paths) {
      for (Path file : filesUnder(path)) {
        feedFile(file);
      }
    }
    producer.flush();
    Exception failure = sendFailure.get();
    if (failure != null) {
      throw new IOException("Kafka refused records: " + failure.getMessage(), failure);
    }
    return new FeedSummary(files, documents, bytes, rejected, skippedFiles);
  }

  private static List<Path> filesUnder(Path path) throws IOException {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private void feedFile(Path file) throws IOException {
    FileFormat format = FileFormat.of(file);
    if (format == FileFormat.UNSUPPORTED) {
      skippedFiles++;
      log.debug("Skipping {}: not a format the feeder reads", file);
      return;
    }
    files++;
    String source = "file:" + file.toAbsolutePath().normalize();
    if (format == FileFormat.JSONL) {
      feedJsonl(file, source);
      return;
    }
    long size = Files.size(file);
    if (size > documentMaxBytes) {
      RejectedDocument rejection =
          reject(
              idOf(source),
              RejectReason.TOO_LARGE,
              "file of " + size + " bytes exceeds documents.max.bytes = " + documentMaxBytes,
              source,
              readPrefix(file));
      rejection.setPayloadSize(size);
      publish(rejection);
      return;
    }
    byte[] body = Files.readAllBytes(file);
    send(
        RawDocument.newBuilder()
            .setId(idOf(source))
            .setSource(source)
            .setContentType(format.contentType())
            .setBody(ByteBuffer.wrap(body))
            .setFetchedAt(Instant.now())
            .build());
  }

  private void feedJsonl(Path file, String fileSource) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      long lineNumber = 0;
      for (byte[] line = readLine(in); line != null; line = readLine(in)) {
        lineNumber++;
        if (isBlank(line)) {
          continue;
        }
        String source = fileSource + ":" + lineNumber;
        if (line.length > documentMaxBytes) {
          publish(
              reject(
                  idOf(source),
                  RejectReason.TOO_LARGE,
                  "line of "
                      + line.length
                      + " bytes exceeds documents.max.bytes = "
                      + documentMaxBytes,
                  source,
                  line));
          continue;
        }
        try {
          RawDocument document = RawDocumentJson.parse(StrictText.utf8(line), idOf(source), source);
          document.setFetchedAt(Instant.now());
          send(document);
        } catch (DocumentRejectedException e) {
          publish(reject(idOf(source), e.reason(), e.detail(), source, line));
        }
      }
    }
  }

  private void send(RawDocument document) {
    byte[] key = document.getId().getBytes(StandardCharsets.UTF_8);
    producer.send(
        new ProducerRecord<>(topics.raw(), key, rawSerde.encode(document)), this::remember);
    documents++;
    bytes += document.getBody().remaining();
    if (documents % 10_000 == 0) {
      log.info("Fed {} documents", documents);
    }
  }

  private RejectedDocument reject(
      String id, RejectReason reason, String detail, String source, byte[] payload) {
    RejectedDocument rejection =
        Rejection.ofSource(id, STAGE, reason, detail, source, payload, rejectedPayloadMaxBytes);
    rejected++;
    log.warn("Rejected {}: {} ({})", source, reason.code(), detail);
    return rejection;
  }

  private void publish(RejectedDocument rejection) {
    byte[] key = rejection.getId().getBytes(StandardCharsets.UTF_8);
    producer.send(
        new ProducerRecord<>(topics.rejected(), key, rejectedSerde.encode(rejection)),
        this::remember);
  }

  private void remember(RecordMetadata metadata, Exception exception) {
    if (exception != null) {
      sendFailure.compareAndSet(null, exception);
    }
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

  /** The next line without its line ending, or null at the end of the stream. */
  private static byte[] readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        return stripCarriageReturn(line.toByteArray());
      }
      line.write(b);
    }
    return line.size() == 0 ? null : stripCarriageReturn(line.toByteArray());
  }

  private static byte[] stripCarriageReturn(byte[] line) {
    return line.length > 0 && line[line.length - 1] == '\r'
        ? Arrays.copyOf(line, line.length - 1)
        : line;
  }

  private static boolean isBlank(byte[] line) {
    for (byte b : line) {
      if (b != ' ' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  private byte[] readPrefix(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(rejectedPayloadMaxBytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
