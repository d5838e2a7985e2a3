package org.millrace.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.millrace.processors.clean.DocumentCleaner;
import org.millrace.processors.filter.DocumentFilter;
import org.millrace.processors.filter.FilterDocument;
import org.millrace.processors.filter.FilterVerdict;
import org.millrace.processors.filter.Filters;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.schemas.reject.DocumentRejectedException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH benchmark behind {@code millrace bench clean}'s per-filter figures: one filter of the default
 * chain, with its published settings, on the extracted text of one javadoc page per operation. It
 * says which filter the chain's time goes to.
 */
@State(Scope.Thread)
public class FilterBenchmark {

  @Param({
    "url",
    "language",
    "gopher_repetition",
    "gopher_quality",
    "c4_quality",
    "fineweb_quality",
    "pii"
  })
  public String filter;

  private final List<String> texts = new ArrayList<>();
  private DocumentFilter documentFilter;
  private int next;

  @Setup
  public void setUp() throws IOException {
    texts.addAll(
        extractedTexts(Path.of(System.getProperty(CleanBenchmark.PAGES_PROPERTY), "javadoc")));
    documentFilter = Filters.named(filter).build(Map.of());
  }

  /** The text the clean stage extracts from each page of the folder, in file name order. */
  static List<String> extractedTexts(Path folder) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(folder)) {
      files = list.sorted().toList();
    }
    DocumentCleaner extraction =
        new DocumentCleaner(
            MillraceConfig.of(Map.of()).getInt(MillraceConfig.DOCUMENTS_MAX_BYTES),
            1024,
            java.time.Duration.ofSeconds(10));
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      try {
        texts.add(
            extraction
                .inspect(CleanBenchmark.page(i, Files.readAllBytes(files.get(i))))
                .extractedText());
      } catch (DocumentRejectedException e) {
        // no text to filter
      }
    }
    return texts;
  }

  @Benchmark
  public FilterVerdict apply() {
    next = next + 1 == texts.size() ? 0 : next + 1;
    return documentFilter.apply(
        new FilterDocument("page", "https://example.org/page", texts.get(next), Map.of()));
  }
}
