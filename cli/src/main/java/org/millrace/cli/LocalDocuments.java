package org.millrace.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.millrace.producers.feed.FileFormat;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.RawDocumentJson;
import org.millrace.schemas.reject.DocumentRejectedException;

/** The documents of local files, read as the feeder reads them, without Kafka. */
final class LocalDocuments {

  private LocalDocuments() {}

  static List<RawDocument> read(List<String> paths, MillraceConfig config) throws IOException {
    List<RawDocument> documents = new ArrayList<>();
    for (String path : paths) {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(Path.of(path))) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path file : files) {
        FileFormat format = FileFormat.of(file);
        String source = "file:" + file.toAbsolutePath().normalize();
        switch (format) {
          case JSONL -> {
            try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
              int number = 0;
              for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                try {
                  documents.add(RawDocumentJson.parse(line, source + ":" + number, source));
                } catch (DocumentRejectedException e) {
                  // not a document
                }
              }
            }
          }
          case HTML, TEXT ->
              documents.add(
                  RawDocument.newBuilder()
                      .setId(source)
                      .setSource(source)
                      .setContentType(format.contentType())
                      .setBody(ByteBuffer.wrap(Files.readAllBytes(file)))
                      .build());
          default -> {}
        }
      }
    }
    return documents;
  }
}
