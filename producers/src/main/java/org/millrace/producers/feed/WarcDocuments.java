package org.millrace.producers.feed;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.reject.RejectReason;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcConversion;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcTargetRecord;

/**
 * Reads WARC, WET and WAT files with jwarc: a {@code response} record is a document of its HTTP
 * payload (transfer and content encodings undone) with the HTTP content type; a {@code conversion}
 * record (the text of a WET file) is a plain-text document. Every other record type (warcinfo,
 * request, metadata, revisit, resource, the JSON of a WAT file) is skipped and counted.
 *
 * <p>A record that jwarc cannot read does not end the file. The reader looks for the next record
 * after it, by its first bytes ({@code WARC/1.} at the start of a line, or the gzip magic of the
 * next member of a per-record gzipped file), and goes on from the first one that parses; the bad
 * bytes in between become one rejection ({@code truncated_record} or {@code malformed_record}) that
 * says where they were and how many. When no later record parses, the rest of the file becomes one
 * {@code unreadable_remainder} rejection (a truncated last record: {@code truncated_record}).
 *
 * <p>A document's source is {@code file:PATH@OFFSET}, the byte offset of its record in the file as
 * stored (compressed, for .gz), so its id stays the same on every run.
 */
final class WarcDocuments {

  /** Common Crawl's language identification of the page (CLD2), in WARC and WET records. */
  static final String LANGUAGE_HEADER = "WARC-Identified-Content-Language";

  private static final byte[] WARC_MAGIC = "WARC/1.".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] GZIP_MEMBER_MAGIC = {0x1f, (byte) 0x8b, 0x08};

  /**
   * A response record up to {@code documents.max.bytes} plus this is read whole into memory ({@link
   * HttpResponseBytes}); a longer one is streamed.
   */
  static final int HTTP_HEADER_ROOM = 64 * 1024;

  private final Path file;
  private final String fileSource;
  private final RecordSink sink;
  private final boolean gzip;
  private final HttpResponseBytes responses = new HttpResponseBytes();

  /** A bad span waiting for the next good record, which says where the span ends. */
  private Damage damage;

  private record Damage(long offset, boolean exact, IOException cause) {}

  private WarcDocuments(Path file, String fileSource, RecordSink sink) throws IOException {
    this.file = file;
    this.fileSource = fileSource;
    this.sink = sink;
    this.gzip = FileFormat.isGzip(file);
  }

  static void read(Path file, String fileSource, RecordSink sink) throws IOException {
    new WarcDocuments(file, fileSource, sink).readAll();
  }

  private void readAll() throws IOException {
    long size;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      size = channel.size();
    }
    long offset = 0;
    while (offset >= 0 && offset < size) {
      long failedAt = readFrom(offset);
      if (failedAt < 0) {
        return;
      }
      offset = nextRecordStart(failedAt + 1);
    }
    if (damage != null) {
      giveUpRemainder(size);
    }
  }

  /**
   * Reads records from {@code offset} to the end of the file. Returns -1 at the end, or the offset
   * to look for the next record after when jwarc failed.
   */
  private long readFrom(long offset) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.position(offset);
      WarcReader reader;
      long recordStart = offset;
      boolean first = true;
      try {
        reader = new WarcReader(channel);
      } catch (IOException e) {
        return noteDamage(offset, false, e, true);
      }
      try (reader) {
        while (true) {
          Optional<WarcRecord> next;
          try {
            next = reader.next();
          } catch (IOException | RuntimeException e) {
            return noteDamage(recordStart, !first, asIoException(e), first);
          }
          if (next.isEmpty()) {
            return -1;
          }
          recordStart = reader.position();
          first = false;
          if (damage != null) {
            rejectDamage(recordStart);
          }
          Runnable found;
          try {
            found = interpret(next.get(), recordStart);
          } catch (IOException | RuntimeException e) {
            damage = new Damage(recordStart, true, asIoException(e));
            return recordStart;
          }
          // Outside the try: what the sink throws (a feed asked to stop) is not damage.
          found.run();
        }
      }
    }
  }

  /**
   * A record failed to parse. When it is the first record tried after a resynchronisation, the
   * candidate was a false start (or the next record is bad too): the damage already noted grows.
   */
  private long noteDamage(long offset, boolean afterGoodRecord, IOException e, boolean first) {
    if (damage == null) {
      damage = new Damage(offset, !afterGoodRecord, e);
    } else if (!damage.exact() && first) {
      damage = new Damage(offset, true, damage.cause());
    }
    return offset;
  }

  /**
   * Reads a record through (jwarc throws here on a bad HTTP message or a truncated body) and says
   * what to tell the sink about it.
   */
  private Runnable interpret(WarcRecord record, long offset) throws IOException {
    String source = fileSource + "@" + offset;
    if (record instanceof WarcResponse response) {
      // held whole, parsed here; or, when too long for that, parsed and streamed by jwarc
      boolean held = response.body().size() <= sink.documentMaxBytes() + HTTP_HEADER_ROOM;
      HttpResponseBytes.Response bytes = held ? responses.parse(readWhole(response)) : null;
      HttpResponse streamed = held ? null : response.http();
      MediaType type = held ? bytes.contentType() : streamed.contentType();
      if (!isText(type)) {
        String kind = "warc response " + type.type() + "/" + type.subtype();
        return () -> sink.skipped(kind);
      }
      Instant date = response.date();
      Map<String, String> metadata = metadataOf(response, date);
      metadata.put("http_status", Integer.toString(held ? bytes.status() : streamed.status()));
      if (held && bytes.payloadAsWritten()) {
        return found(response, date, source, type.toString(), bytes.payload(), metadata);
      }
      HttpResponse decoding = held ? bytes.parsedByJwarc() : streamed;
      try (InputStream body = decoding.bodyDecoded().stream()) {
        return found(response, date, source, type.toString(), body, metadata);
      }
    } else if (record instanceof WarcConversion conversion) {
      Instant date = conversion.date();
      String type = conversion.contentType().toString();
      if (conversion.body().size() > sink.documentMaxBytes()) {
        try (InputStream body = conversion.body().stream()) {
          return found(conversion, date, source, type, body, metadataOf(conversion, date));
        }
      }
      ByteBuffer body = ByteBuffer.wrap(readWhole(conversion));
      return found(conversion, date, source, type, body, metadataOf(conversion, date));
    }
    String kind = "warc " + record.type();
    return () -> sink.skipped(kind);
  }

  /**
   * The record's block (an HTTP message, a WET text) in one array of its length: one copy out of
   * jwarc's buffer. The block is at most {@code documents.max.bytes} plus {@link
   * #HTTP_HEADER_ROOM}.
   */
  private static byte[] readWhole(WarcRecord record) throws IOException {
    long size = record.body().size();
    byte[] bytes = new byte[(int) size];
    ByteBuffer target = ByteBuffer.wrap(bytes);
    while (target.hasRemaining()) {
      if (record.body().read(target) < 0) {
        throw new EOFException(
            "the file ends "
                + target.remaining()
                + " bytes before the end of the record's "
                + size
                + "-byte block");
      }
    }
    return bytes;
  }

  /** A payload read as a stream: up to the size limit, the rest counted. */
  private Runnable found(
      WarcTargetRecord record,
      Instant date,
      String source,
      String contentType,
      InputStream in,
      Map<String, String> metadata)
      throws IOException {
    byte[] body = in.readNBytes(sink.documentMaxBytes() + 1);
    if (body.length > sink.documentMaxBytes()) {
      long size = body.length + in.transferTo(OutputStream.nullOutputStream());
      return tooLarge(source, body, size);
    }
    return found(record, date, source, contentType, ByteBuffer.wrap(body), metadata);
  }

  private Runnable found(
      WarcTargetRecord record,
      Instant date,
      String source,
      String contentType,
      ByteBuffer body,
      Map<String, String> metadata) {
    if (body.remaining() > sink.documentMaxBytes()) {
      byte[] head = new byte[sink.documentMaxBytes() + 1];
      body.duplicate().get(head);
      return tooLarge(source, head, body.remaining());
    }
    RawDocument document =
        RawDocument.newBuilder()
            .setId(Feeder.idOf(source))
            .setUrl(record.target())
            .setSource(source)
            .setContentType(contentType)
            .setBody(body)
            .setFetchedAt(date)
            .setMetadata(metadata)
            .build();
    return () -> sink.document(document);
  }

  private Runnable tooLarge(String source, byte[] head, long size) {
    String detail =
        "WARC payload of "
            + size
            + " bytes exceeds documents.max.bytes = "
            + sink.documentMaxBytes();
    return () -> sink.rejected(source, RejectReason.TOO_LARGE, detail, head, size);
  }

  /** The record's metadata; its date parsed once by the caller (jwarc parses it on every call). */
  private static Map<String, String> metadataOf(WarcTargetRecord record, Instant date) {
    Map<String, String> metadata = new HashMap<>();
    metadata.put("warc_type", record.type());
    // the header as written, less its angle brackets: what record.id() gives, without a URI parse
    metadata.put("warc_record_id", recordId(record));
    metadata.put("warc_date", date.toString());
    record
        .headers()
        .first(LANGUAGE_HEADER)
        .ifPresent(language -> metadata.put("language", language));
    record
        .headers()
        .first("WARC-Refers-To")
        .ifPresent(refersTo -> metadata.put("warc_refers_to", refersTo));
    return metadata;
  }

  private static String recordId(WarcRecord record) {
    String id = record.headers().sole("WARC-Record-ID").orElse("").strip();
    return id.startsWith("<") && id.endsWith(">") ? id.substring(1, id.length() - 1) : id;
  }

  private static boolean isText(MediaType type) {
    String base = (type.type() + "/" + type.subtype()).toLowerCase(Locale.ROOT);
    return base.equals("text/html")
        || base.equals("text/plain")
        || base.equals("application/xhtml+xml");
  }

  private void rejectDamage(long resumedAt) {
    long length = resumedAt - damage.offset();
    RejectReason reason =
        damage.cause() instanceof EOFException
            ? RejectReason.TRUNCATED_RECORD
            : RejectReason.MALFORMED_RECORD;
    sink.rejected(
        fileSource + "@" + damage.offset(),
        reason,
        (damage.exact() ? "record at offset " : "record after offset ")
            + damage.offset()
            + " unreadable ("
            + describe(damage.cause())
            + "); skipped "
            + length
            + " bytes and resumed at the next record, offset "
            + resumedAt,
        prefixOf(damage.offset(), resumedAt),
        length);
    damage = null;
  }

  private void giveUpRemainder(long size) throws IOException {
    long length = size - damage.offset();
    boolean truncatedLast = damage.cause() instanceof EOFException;
    sink.rejected(
        fileSource + "@" + damage.offset(),
        truncatedLast ? RejectReason.TRUNCATED_RECORD : RejectReason.UNREADABLE_REMAINDER,
        (truncatedLast ? "the file ends inside the record at offset " : "unreadable from offset ")
            + damage.offset()
            + " ("
            + describe(damage.cause())
            + ") and no later WARC record could be read: the last "
            + length
            + " bytes of the file were not fed",
        prefixOf(damage.offset(), size),
        length);
    damage = null;
  }

  /** The first byte at or after {@code from} where a record may start, or -1. */
  private long nextRecordStart(long from) throws IOException {
    byte[] magic = gzip ? GZIP_MEMBER_MAGIC : WARC_MAGIC;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
      long position = from;
      byte previous = '\n';
      int matched = 0;
      channel.position(from);
      while (channel.read(buffer) > 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          byte b = buffer.get();
          if (matched == 0 && !gzip && previous != '\n') {
            previous = b;
            position++;
            continue;
          }
          if (b == magic[matched]) {
            matched++;
            if (matched == magic.length) {
              return position - magic.length + 1;
            }
          } else {
            matched = b == magic[0] && (gzip || previous == '\n') ? 1 : 0;
          }
          previous = b;
          position++;
        }
        buffer.clear();
      }
      return -1;
    }
  }

  private byte[] prefixOf(long from, long to) {
    int length = (int) Math.min(to - from, 4096);
    ByteBuffer buffer = ByteBuffer.allocate(Math.max(length, 0));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.position(from);
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // read until full or the end of the file
      }
    } catch (IOException e) {
      return new byte[0];
    }
    return Arrays.copyOf(buffer.array(), buffer.position());
  }

  private static String describe(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private static IOException asIoException(Exception e) {
    return e instanceof IOException io ? io : new IOException(e.toString(), e);
  }
}
