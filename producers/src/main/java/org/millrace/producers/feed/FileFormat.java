package org.millrace.producers.feed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * How the feeder reads a file. {@link #detect} looks at the first bytes (gzip, {@code WARC/1.},
 * {@code PAR1}) before the extension, so a WARC named {@code .txt} or a gzipped JSONL corpus is
 * still read as what it is; {@link #of} is the extension alone.
 */
public enum FileFormat {
  /** One JSON object per line, with a text or "html" field: one document per line. */
  JSONL("application/jsonl"),
  /** A whole file is one HTML document. */
  HTML("text/html"),
  /** A whole file is one text document. */
  TEXT("text/plain"),
  /** WARC, WET or WAT records (ISO 28500), gzipped per record or not: response and conversion. */
  WARC("application/warc"),
  /** Apache Parquet (Hugging Face datasets, FineWeb shards): one document per row. */
  PARQUET("application/vnd.apache.parquet"),
  /** A source file of a code tree: one document, with its path, language and licence. */
  CODE("text/plain"),
  /** Not a format the feeder reads; the file is skipped and counted. */
  UNSUPPORTED("");

  private static final byte[] WARC_MAGIC = "WARC/1.".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PARQUET_MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private final String contentType;

  FileFormat(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  /** The format its extension names; a trailing {@code .gz} is looked through. */
  public static FileFormat of(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - ".gz".length());
    }
    int dot = name.lastIndexOf('.');
    String extension = dot < 0 ? "" : name.substring(dot + 1);
    return switch (extension) {
      case "jsonl", "ndjson" -> JSONL;
      case "html", "htm", "xhtml" -> HTML;
      case "txt", "text", "md", "markdown", "rst" -> TEXT;
      case "warc", "wet", "wat", "arc" -> WARC;
      case "parquet" -> PARQUET;
      default -> UNSUPPORTED;
    };
  }

  /**
   * The format of a file from its first bytes, then its extension: {@code WARC/1.} (or gzip whose
   * first member starts so) is WARC, {@code PAR1} is Parquet; anything else is what the extension
   * says. A gzipped file that is not WARC is read through gzip (see {@link #isGzip}).
   */
  public static FileFormat detect(Path file) throws IOException {
    byte[] head = readHead(file, 8);
    if (startsWith(head, PARQUET_MAGIC)) {
      return PARQUET;
    }
    if (startsWith(head, WARC_MAGIC)) {
      return WARC;
    }
    if (isGzipMagic(head)) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
        if (startsWith(in.readNBytes(WARC_MAGIC.length), WARC_MAGIC)) {
          return WARC;
        }
      } catch (IOException e) {
        // A corrupt gzip file: fall back on the extension; its reader reports the damage.
      }
    }
    return of(file);
  }

  /** Whether the file starts with the gzip magic bytes (RFC 1952: 1f 8b). */
  public static boolean isGzip(Path file) throws IOException {
    return isGzipMagic(readHead(file, 2));
  }

  private static boolean isGzipMagic(byte[] head) {
    return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
  }

  private static byte[] readHead(Path file, int length) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(length);
    }
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }
}
