package org.millrace.cli.commands;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.millrace.producers.feed.InputFiles;
import org.millrace.producers.feed.InputPaths;
import org.millrace.producers.feed.RecordSink;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.reject.RejectReason;

/**
 * The documents of local files as {@code millrace feed} reads them (every format, globs, code
 * trees), handed over one at a time without Kafka: for {@code millrace inspect}. What the feeder
 * would reject is handed over as a {@link Refused}.
 */
public final class LocalDocuments {

  /** Something in a file that the feeder would reject, with its reason. */
  public record Refused(String source, RejectReason reason, String detail) {}

  /** Stops the reading early (a --limit reached). */
  public static final class Enough extends RuntimeException {
    Enough() {
      super(null, null, false, false);
    }
  }

  private LocalDocuments() {}

  /**
   * Reads every document of the paths, in the feeder's order.
   *
   * @throws Enough from a consumer, to stop reading; returns normally then
   */
  public static void read(
      List<String> paths,
      boolean code,
      String textField,
      int documentMaxBytes,
      Consumer<RawDocument> documents,
      Consumer<Refused> refused)
      throws IOException {
    List<Path> expanded = new ArrayList<>();
    for (String path : paths) {
      expanded.addAll(InputPaths.expand(path));
    }
    RecordSink sink =
        new RecordSink() {
          @Override
          public void document(RawDocument document) {
            documents.accept(document);
          }

          @Override
          public void rejected(
              String source, RejectReason reason, String detail, byte[] payload, long size) {
            refused.accept(new Refused(source, reason, detail));
          }

          @Override
          public void skipped(String kind) {}

          @Override
          public int documentMaxBytes() {
            return documentMaxBytes;
          }
        };
    try {
      for (InputFiles.Input input : InputFiles.under(expanded, code)) {
        InputFiles.read(input, textField, Long.MAX_VALUE, sink);
      }
    } catch (Enough enough) {
      // the consumer has what it wanted
    }
  }
}
