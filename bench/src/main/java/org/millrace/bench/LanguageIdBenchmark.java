package org.millrace.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.millrace.processors.filter.DocumentFilter;
import org.millrace.processors.filter.FilterDocument;
import org.millrace.processors.filter.FilterVerdict;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH benchmark behind {@code millrace bench langid}'s speed figures: one language identifier
 * ({@link LanguageIdentifiers}) as the language filter, on the extracted text of one page per
 * operation, from the page set {@code pages} that the command prepared.
 */
@State(Scope.Thread)
public class LanguageIdBenchmark {

  @Param({"lingua", "lingua-20", "language-detector"})
  public String identifier;

  @Param({"javadoc", "commoncrawl"})
  public String pages;

  private List<String> texts;
  private DocumentFilter filter;
  private int next;

  @Setup
  public void setUp() throws IOException {
    texts =
        FilterBenchmark.extractedTexts(
            Path.of(System.getProperty(CleanBenchmark.PAGES_PROPERTY), pages));
    filter = LanguageIdentifiers.named(identifier);
  }

  @Benchmark
  public FilterVerdict identify() {
    next = next + 1 == texts.size() ? 0 : next + 1;
    return filter.apply(
        new FilterDocument("page", "https://example.org/page", texts.get(next), Map.of()));
  }
}
