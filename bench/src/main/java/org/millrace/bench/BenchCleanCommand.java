package org.millrace.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.millrace.cli.commands.DemoCommand;
import org.millrace.cli.commands.LocalDocuments;
import org.millrace.processors.Stages;
import org.millrace.processors.clean.CleanKeys;
import org.millrace.producers.feed.FeedSettings;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.schemas.AvroSerde;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code millrace bench clean}: pages/s and MB/s per core of the clean stage, against jsoup's bare
 * parse of the same pages, in JMH; then through the Kafka Streams application on a broker.
 */
@Command(
    name = "clean",
    mixinStandardHelpOptions = true,
    header = "Pages/s of extraction and of the filter chain, against jsoup's bare parse.",
    description = {
      "Two page sets: javadoc (the HTML of the demo corpus, demo.corpus) and commoncrawl (the HTML",
      "responses of the Common Crawl WARCs in --warcs DIR, when given). JMH, one thread,",
      "one fork, one operation per page: jsoup's Jsoup.parse + text() (the reference), our",
      "extraction (the clean stage with no filter), and the clean stage's whole work on a record",
      "(decode, extract, normalise, the default filter chain), also without its language filter;",
      "and each filter of the chain alone on the javadoc pages' extracted text (ms per page).",
      "Then the clean topology on an",
      "embedded broker with one stream thread, from running to the last verdict, without and with",
      "the filters. The last line reads pages/s=<number> (the whole chain, Common Crawl pages",
      "when present)."
    })
public final class BenchCleanCommand implements Callable<Integer> {

  @ParentCommand BenchCommand parent;
  @Spec CommandSpec spec;

  @Option(
      names = "--warcs",
      paramLabel = "DIR",
      description =
          "A folder of Common Crawl .warc.gz files whose HTML responses make a second page set"
              + " (none by default).")
  Path warcs;

  @Option(
      names = "--pages",
      defaultValue = "500",
      description = "Javadoc pages in the set (default: ${DEFAULT-VALUE}).")
  int javadocPages;

  @Option(
      names = "--iterations",
      defaultValue = "5",
      description = "Measured seconds per benchmark (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(
      names = "--records",
      defaultValue = "3000",
      description = "Records through the Streams application per run (default: ${DEFAULT-VALUE}).")
  int records;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    MillraceConfig config = parent.millrace.config();
    Path scratch = Files.createTempDirectory("millrace-bench-clean");
    try {
      Map<String, List<byte[]>> sets = new LinkedHashMap<>();
      sets.put("javadoc", javadocPages(DemoCommand.demoCorpus(config), javadocPages));
      List<byte[]> commonCrawl = commonCrawlPages(warcs);
      if (commonCrawl.isEmpty()) {
        out.println("commoncrawl: no --warcs folder given or no .warc.gz in it, left out");
      } else {
        sets.put("commoncrawl", commonCrawl);
      }
      Map<String, Double> meanBytes = writePageSets(scratch, sets, out);

      Map<String, Double> perSecond = jmh(scratch, sets.keySet(), out, meanBytes);
      String last = sets.containsKey("commoncrawl") ? "commoncrawl" : "javadoc";
      for (String set : sets.keySet()) {
        double parse = perSecond.get(set + "/jsoupParse");
        double extraction = perSecond.get(set + "/extraction");
        double chain = perSecond.get(set + "/extractionAndFilters");
        double butLanguage = perSecond.get(set + "/extractionAndFiltersButLanguage");
        out.printf(
            "RESULT clean %s: jsoup parse %,.0f pages/s (%.1f MB/s); extraction %,.0f pages/s"
                + " (%.1f MB/s, %.0f%% of the parse); extraction and filters %,.0f pages/s (%.1f"
                + " MB/s, %.0f%% of the parse); without the language filter %,.0f pages/s (%.0f%%"
                + " of the parse)%n",
            set,
            parse,
            parse * meanBytes.get(set) / 1e6,
            extraction,
            extraction * meanBytes.get(set) / 1e6,
            100 * extraction / parse,
            chain,
            chain * meanBytes.get(set) / 1e6,
            100 * chain / parse,
            butLanguage,
            100 * butLanguage / parse);
      }
      out.flush();

      out.println("Per filter, on the javadoc pages' extracted text:");
      for (Map.Entry<String, Double> filter : perFilter(scratch).entrySet()) {
        out.printf(
            "RESULT filter %s: %.3f ms per page%n", filter.getKey(), 1000 / filter.getValue());
      }
      out.flush();

      List<byte[]> pages = sets.get(last);
      try (StageBenchmark bench = StageBenchmark.start()) {
        double bare = throughStreams(bench, config, "nofilters", "", pages);
        double filtered =
            throughStreams(
                bench,
                config,
                "filters",
                String.join(",", MillraceConfig.of(Map.of()).getList(CleanKeys.FILTERS_CHAIN)),
                pages);
        out.printf(
            "RESULT clean stage on a broker, %s pages, one stream thread: extraction only %,.0f"
                + " pages/s, with the filters %,.0f pages/s%n",
            last, bare, filtered);
      }
      out.printf("pages/s=%.0f%n", perSecond.get(last + "/extractionAndFilters"));
      out.flush();
    } finally {
      StageBenchmark.deleteScratch(scratch);
    }
    return 0;
  }

  private Map<String, Double> jmh(
      Path scratch, Collection<String> sets, PrintWriter out, Map<String, Double> meanBytes)
      throws Exception {
    Options options =
        JmhOptions.of(CleanBenchmark.class, 2, 2, iterations)
            .param("pages", sets.toArray(String[]::new))
            .jvmArgsAppend(
                "-D" + CleanBenchmark.PAGES_PROPERTY + "=" + scratch, "-Dai.djl.offline=true")
            .build();
    Map<String, Double> perSecond = new LinkedHashMap<>();
    for (RunResult result : new Runner(options).run()) {
      String benchmark = result.getParams().getBenchmark();
      String set = result.getParams().getParam("pages");
      String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      double score = result.getPrimaryResult().getScore();
      perSecond.put(set + "/" + name, score);
      out.printf(
          "%s %s: %,.0f pages/s, %.1f MB/s%n", set, name, score, score * meanBytes.get(set) / 1e6);
    }
    return perSecond;
  }

  /** Pages per second of each filter of the default chain alone ({@link FilterBenchmark}). */
  private Map<String, Double> perFilter(Path scratch) throws Exception {
    Options options =
        JmhOptions.of(FilterBenchmark.class, 1, 2, Math.max(1, iterations - 2))
            .jvmArgsAppend(
                "-D" + CleanBenchmark.PAGES_PROPERTY + "=" + scratch, "-Dai.djl.offline=true")
            .build();
    Map<String, Double> perSecond = new LinkedHashMap<>();
    for (RunResult result : new Runner(options).run()) {
      perSecond.put(result.getParams().getParam("filter"), result.getPrimaryResult().getScore());
    }
    return perSecond;
  }

  /** Pages per second through the clean stage on a broker, with this filter chain. */
  private double throughStreams(
      StageBenchmark bench, MillraceConfig base, String name, String chain, List<byte[]> pages)
      throws Exception {
    MillraceConfig config = bench.run(base, name, Map.of(CleanKeys.FILTERS_CHAIN, chain));
    List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < this.records; i++) {
      byte[] body = pages.get(i % pages.size());
      records.add(
          Map.entry(
              ("page-" + i).getBytes(StandardCharsets.UTF_8),
              AvroSerde.rawDocument().encode(CleanBenchmark.page(i, body))));
    }
    return bench.timeVerdicts(
        config, Stages.CLEAN, records, (seconds, stage, applicationId) -> records.size() / seconds);
  }

  /**
   * Each page set in a folder of its own under {@code scratch}, one file per page, where {@link
   * CleanBenchmark} and {@link LanguageIdBenchmark} read them; returns each set's mean page size.
   */
  static Map<String, Double> writePageSets(
      Path scratch, Map<String, List<byte[]>> sets, PrintWriter out) throws IOException {
    Map<String, Double> meanBytes = new LinkedHashMap<>();
    for (Map.Entry<String, List<byte[]>> set : sets.entrySet()) {
      Path folder = Files.createDirectories(scratch.resolve(set.getKey()));
      long bytes = 0;
      for (int i = 0; i < set.getValue().size(); i++) {
        Files.write(folder.resolve(String.format("%05d.html", i)), set.getValue().get(i));
        bytes += set.getValue().get(i).length;
      }
      meanBytes.put(set.getKey(), (double) bytes / set.getValue().size());
      out.printf(
          "%s: %,d pages, %,.0f bytes each on average%n",
          set.getKey(), set.getValue().size(), meanBytes.get(set.getKey()));
    }
    out.flush();
    return meanBytes;
  }

  /** Every n-th HTML page of the demo corpus, so that all its sites are in the set. */
  static List<byte[]> javadocPages(Path corpus, int count) throws IOException {
    List<Path> html;
    try (Stream<Path> files = Files.walk(corpus)) {
      html = files.filter(p -> p.toString().endsWith(".html")).sorted().toList();
    }
    List<byte[]> pages = new ArrayList<>();
    double step = Math.max(1.0, (double) html.size() / count);
    for (double i = 0; i < html.size() && pages.size() < count; i += step) {
      pages.add(Files.readAllBytes(html.get((int) i)));
    }
    return pages;
  }

  /**
   * The HTML payloads of the successful response records of the shared Common Crawl WARCs, read as
   * {@code millrace feed} reads them.
   */
  static List<byte[]> commonCrawlPages(Path warcs) throws IOException {
    List<byte[]> pages = new ArrayList<>();
    if (warcs == null || !Files.isDirectory(warcs)) {
      return pages;
    }
    List<Path> files;
    try (Stream<Path> listed = Files.list(warcs)) {
      files = listed.filter(p -> p.toString().endsWith(".warc.gz")).sorted().toList();
    }
    LocalDocuments.read(
        files.stream().map(Path::toString).toList(),
        false,
        FeedSettings.DEFAULT_TEXT_FIELD,
        MillraceConfig.of(Map.of()).getInt(MillraceConfig.DOCUMENTS_MAX_BYTES),
        document -> {
          if (document.getContentType().startsWith("text/html")
              && "200".equals(document.getMetadata().get("http_status"))) {
            ByteBuffer body = document.getBody().duplicate();
            byte[] bytes = new byte[body.remaining()];
            body.get(bytes);
            pages.add(bytes);
          }
        },
        refused -> {}); // warcio's malformed samples are among them: not pages to measure
    return pages;
  }
}
