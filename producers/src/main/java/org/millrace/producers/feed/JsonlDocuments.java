package org.millrace.producers.feed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.RawDocumentJson;
import org.millrace.schemas.reject.DocumentRejectedException;
import org.millrace.schemas.reject.RejectReason;
import org.millrace.schemas.reject.StrictText;

/**
 * Reads a JSONL file: one document per non-blank line, its text in a configurable field (default
 * "text") or in "html", every other field kept as metadata (see {@link RawDocumentJson}). A line
 * that is not a document is rejected on its own; the next line is read as usual. The source of a
 * line is {@code file:PATH:LINE}.
 */
final class JsonlDocuments {

  private JsonlDocuments() {}

  static void read(InputStream stream, String fileSource, String textField, RecordSink sink)
      throws IOException {
    try (InputStream in = stream) {
      Lines lines = new Lines(in);
      long lineNumber = 0;
      for (byte[] line = lines.next(); line != null; line = lines.next()) {
        lineNumber++;
        if (isBlank(line)) {
          continue;
        }
        String source = fileSource + ":" + lineNumber;
        if (line.length > sink.documentMaxBytes()) {
          sink.rejected(
              source,
              RejectReason.TOO_LARGE,
              "line of "
                  + line.length
                  + " bytes exceeds documents.max.bytes = "
                  + sink.documentMaxBytes(),
              line,
              line.length);
          continue;
        }
        try {
          RawDocument document =
              RawDocumentJson.parse(StrictText.utf8(line), textField, Feeder.idOf(source), source);
          document.setFetchedAt(Instant.now());
          sink.document(document);
        } catch (DocumentRejectedException e) {
          sink.rejected(source, e.reason(), e.detail(), line, line.length);
        }
      }
    }
  }

  /**
   * The lines of a stream, without their line endings, read through a buffer of its own: a byte at
   * a time through {@code BufferedInputStream.read()} costs a synchronized call per byte, a third
   * of the feed's time on JSONL in {@code millrace bench feed}.
   */
  private static final class Lines {
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;

    Lines(InputStream in) {
      this.in = in;
    }

    /** The next line, or null at the end of the stream. */
    byte[] next() throws IOException {
      ByteArrayOutputStream line = null;
      while (true) {
        if (position == limit) {
          limit = in.read(buffer);
          position = 0;
          if (limit <= 0) {
            limit = 0;
            return line == null || line.size() == 0
                ? null
                : stripCarriageReturn(line.toByteArray());
          }
        }
        int start = position;
        while (position < limit && buffer[position] != '\n') {
          position++;
        }
        if (position < limit) {
          byte[] found;
          if (line == null) {
            found = Arrays.copyOfRange(buffer, start, position);
          } else {
            line.write(buffer, start, position - start);
            found = line.toByteArray();
          }
          position++; // the '\n'
          return stripCarriageReturn(found);
        }
        if (line == null) {
          line = new ByteArrayOutputStream(2 * (limit - start) + 16);
        }
        line.write(buffer, start, limit - start);
      }
    }
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
}
