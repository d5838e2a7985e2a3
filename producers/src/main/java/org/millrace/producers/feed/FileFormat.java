package org.millrace.producers.feed;

import java.nio.file.Path;
import java.util.Locale;

/** How the feeder reads a file, from its extension. */
public enum FileFormat {
  /** One JSON object per line, with a "text" or "html" field: one document per line. */
  JSONL("application/jsonl"),
  /** A whole file is one HTML document. */
  HTML("text/html"),
  /** A whole file is one text document. */
  TEXT("text/plain"),
  /** Not a format the feeder reads; the file is skipped and counted. */
  UNSUPPORTED("");

  private final String contentType;

  FileFormat(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  public static FileFormat of(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    String extension = dot < 0 ? "" : name.substring(dot + 1);
    return switch (extension) {
      case "jsonl", "ndjson" -> JSONL;
      case "html", "htm", "xhtml" -> HTML;
      case "txt", "text", "md", "markdown", "rst" -> TEXT;
      default -> UNSUPPORTED;
    };
  }
}
