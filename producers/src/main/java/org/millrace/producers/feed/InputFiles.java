package org.millrace.producers.feed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.reject.RejectReason;

/**
 * The input files of a feed and their documents, in every format the feeder reads: which files a
 * path holds (folders walked in sorted order, git working copies read as code), and the documents
 * of one file, in file order, to a {@link RecordSink}. Kafka is not involved: the feeder publishes
 * what it reads, and {@code millrace inspect} and the tokenizer trainer read the same documents.
 */
public final class InputFiles {

  /** A file to read, and the code tree it belongs to, if any. */
  public record Input(Path file, CodeTree tree) {

    /** How the file is read: detected from its first bytes and name, or code. */
    public FileFormat format() throws IOException {
      return tree != null ? FileFormat.CODE : FileFormat.detect(file);
    }

    /** The source of its documents: {@code file:<absolute path>}. */
    public String source() {
      return "file:" + file.toAbsolutePath().normalize();
    }
  }

  private InputFiles() {}

  /**
   * The files under each path, in the order they are read: a file itself; a folder walked in sorted
   * order, where a git working copy (or every folder, with {@code code}) is a code tree.
   */
  public static List<Input> under(List<Path> paths, boolean code) throws IOException {
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new IOException("no such file or directory: " + path);
      }
    }
    List<Input> inputs = new ArrayList<>();
    for (Path path : paths) {
      under(path, code, inputs);
    }
    return inputs;
  }

  private static void under(Path path, boolean code, List<Input> allInputs) throws IOException {
    if (Files.isRegularFile(path)) {
      allInputs.add(new Input(path, null));
      return;
    }
    List<Input> inputs = new ArrayList<>();
    Files.walkFileTree(
        path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes)
              throws IOException {
            if (code || CodeTree.isGitWorkingCopy(dir)) {
              CodeTree tree = new CodeTree(dir);
              for (Path file : tree.files()) {
                inputs.add(new Input(file, tree));
              }
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            if (attributes.isRegularFile()) {
              inputs.add(new Input(file, null));
            }
            return FileVisitResult.CONTINUE;
          }
        });
    // Sorted: the same input is read in the same order every time.
    inputs.sort((a, b) -> a.file().compareTo(b.file()));
    allInputs.addAll(inputs);
  }

  /**
   * Reads the documents of one input file to the sink, in file order.
   *
   * @param textField the JSONL field or Parquet column that holds the text
   * @param codeFileMaxBytes the largest source file of a code tree that is read
   * @return false when the file is in no format the feeder reads (nothing was read)
   */
  public static boolean read(Input input, String textField, long codeFileMaxBytes, RecordSink sink)
      throws IOException {
    Path file = input.file();
    String source = input.source();
    switch (input.format()) {
      case JSONL -> {
        try (InputStream in = open(file)) {
          JsonlDocuments.read(in, source, textField, sink);
        }
      }
      case WARC -> WarcDocuments.read(file, source, sink);
      case PARQUET -> ParquetDocuments.read(file, source, textField, sink);
      case CODE -> input.tree().read(file, source, codeFileMaxBytes, sink);
      case TEXT, HTML -> readWholeFile(file, source, input.format(), sink);
      case UNSUPPORTED -> {
        return false;
      }
    }
    return true;
  }

  private static void readWholeFile(Path file, String source, FileFormat format, RecordSink sink)
      throws IOException {
    int documentMaxBytes = sink.documentMaxBytes();
    byte[] body;
    long size;
    try (InputStream in = open(file)) {
      body = in.readNBytes(documentMaxBytes + 1);
      size =
          body.length > documentMaxBytes
              ? body.length + in.transferTo(OutputStream.nullOutputStream())
              : body.length;
    }
    if (size > documentMaxBytes) {
      sink.rejected(
          source,
          RejectReason.TOO_LARGE,
          "file of " + size + " bytes exceeds documents.max.bytes = " + documentMaxBytes,
          body,
          size);
      return;
    }
    sink.document(
        RawDocument.newBuilder()
            .setId(Feeder.idOf(source))
            .setSource(source)
            .setContentType(format.contentType())
            .setBody(ByteBuffer.wrap(body))
            .setFetchedAt(Instant.now())
            .build());
  }

  /** The file's bytes, through gzip when it is gzipped. */
  static InputStream open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    return FileFormat.isGzip(file) ? new GZIPInputStream(in, 1 << 16) : in;
  }
}
