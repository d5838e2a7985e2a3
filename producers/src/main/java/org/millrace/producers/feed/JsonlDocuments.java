package org.millrace.producers.feed;

import java.io.BufferedInputStream;
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
    try (InputStream in = new BufferedInputStream(stream, 1 << 16)) {
      long lineNumber = 0;
      for (byte[] line = readLine(in); line != null; line = readLine(in)) {
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
              RawDocumentJson.parse(
                  StrictText.utf8(line), textField, Feeder.idOf(source), source);
          document.setFetchedAt(Instant.now());
          sink.document(document);
        } catch (DocumentRejectedException e) {
          sink.rejected(source, e.reason(), e.detail(), line, line.length);
        }
      }
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
}
