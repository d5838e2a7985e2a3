package org.millrace.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.millrace.processors.Verdict;
import org.millrace.processors.clean.CleanKeys;
import org.millrace.processors.clean.DocumentCleaner;
import org.millrace.processors.filter.FilterChain;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.reject.Origin;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH benchmarks behind {@code millrace bench clean}: one operation is one HTML page, from the
 * folder {@value #PAGES_PROPERTY}/{@code <pages>}: jsoup's bare parse ({@code Jsoup.parse} and
 * {@code text()}, the reference), our extraction (the clean stage with no filter), and the clean
 * stage's whole work on a record of docs.raw (decode, extract, normalise, the default filter
 * chain), also without its language filter.
 */
@State(Scope.Thread)
public class CleanBenchmark {

  /** The system property naming the folder of page sets the command prepared. */
  public static final String PAGES_PROPERTY = "millrace.bench.pages";

  @Param({"javadoc", "commoncrawl"})
  public String pages;

  private byte[][] bodies;
  private byte[][] records;
  private DocumentCleaner extractionOnly;
  private DocumentCleaner wholeStage;
  private DocumentCleaner allButLanguage;
  private final Origin origin = new Origin("docs.raw", 0, 0);
  private int next;

  @Setup
  public void setUp() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(Path.of(System.getProperty(PAGES_PROPERTY), pages))) {
      files = list.sorted().toList();
    }
    bodies = new byte[files.size()][];
    records = new byte[files.size()][];
    AvroSerde<RawDocument> serde = AvroSerde.rawDocument();
    for (int i = 0; i < files.size(); i++) {
      bodies[i] = Files.readAllBytes(files.get(i));
      records[i] = serde.encode(page(i, bodies[i]));
    }
    MillraceConfig defaults = MillraceConfig.of(Map.of());
    extractionOnly =
        new DocumentCleaner(
            defaults.getInt(MillraceConfig.DOCUMENTS_MAX_BYTES),
            1024,
            Duration.ofMillis(defaults.getInt(CleanKeys.EXTRACTION_TIMEOUT_MS)),
            FilterChain.none());
    wholeStage = DocumentCleaner.of(defaults);
    List<String> withoutLanguage =
        defaults.getList(CleanKeys.FILTERS_CHAIN).stream()
            .filter(filter -> !filter.equals("language"))
            .toList();
    allButLanguage =
        DocumentCleaner.of(
            MillraceConfig.of(Map.of(CleanKeys.FILTERS_CHAIN, String.join(",", withoutLanguage))));
  }

  static RawDocument page(int i, byte[] body) {
    return RawDocument.newBuilder()
        .setId("page-" + i)
        .setUrl("https://example.org/" + i)
        .setSource("bench")
        .setContentType("text/html")
        .setBody(ByteBuffer.wrap(body))
        .build();
  }

  private int nextPage() {
    next = next + 1 == bodies.length ? 0 : next + 1;
    return next;
  }

  @Benchmark
  public String jsoupParse() {
    try {
      return Jsoup.parse(new ByteArrayInputStream(bodies[nextPage()]), null, "").text();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Benchmark
  public Verdict<CleanDocument> extraction() {
    return extractionOnly.judge(null, records[nextPage()], origin);
  }

  /** The default chain without its language identification, once its costliest filter. */
  @Benchmark
  public Verdict<CleanDocument> extractionAndFiltersButLanguage() {
    return allButLanguage.judge(null, records[nextPage()], origin);
  }

  @Benchmark
  public Verdict<CleanDocument> extractionAndFilters() {
    return wholeStage.judge(null, records[nextPage()], origin);
  }
}
