package org.millrace.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import org.jsoup.Jsoup;
import org.millrace.cli.commands.DemoCommand;
import org.millrace.processors.clean.CleanKeys;
import org.millrace.processors.clean.DocumentCleaner;
import org.millrace.processors.filter.DocumentFilter;
import org.millrace.processors.filter.FilterChain;
import org.millrace.processors.filter.FilterDocument;
import org.millrace.processors.filter.FilterVerdict;
import org.millrace.processors.filter.Filters;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.reject.Origin;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code millrace bench langid}: the language identifiers of {@link LanguageIdentifiers}, each as
 * the clean stage's language filter, on a labelled set of texts (accuracy, and what the filter's
 * English at 0.65 keeps) and on the extracted text of web pages (ms per page, JMH), in one run.
 */
@Command(
    name = "langid",
    mixinStandardHelpOptions = true,
    header = "Accuracy and ms per page of the language filter's identifier, against Lingua.",
    description = {
      "Three identifiers, each as the language filter: lingua (the former filter: Lingua, all",
      "75 languages, the letter share of 200-character segments of the first 1,000 characters),",
      "lingua-20 (the same among the 20 languages of the set) and language-detector (the clean",
      "stage's filter: the probability of the first 1,000 characters' language).",
      "Accuracy: on the labelled texts of --texts FILE (scripts/langid_eval_set.py writes it from",
      "Debian's translated manual pages), short and long apart: the share named right, and how",
      "many English texts English at 0.65 keeps and how many others it keeps wrongly.",
      "Speed: JMH, one thread, one fork, ms per page on the extracted text of 500 javadoc",
      "pages of the demo corpus and of the Common Crawl pages in --warcs DIR, when given; then",
      "the CPU time per page of each, in turns over the same 100 pages of a set (--rounds),",
      "which a busy machine disturbs less than JMH's wall-clock time; and so, against jsoup's",
      "bare parse, the clean stage's whole work with each language filter in the default chain."
    })
public final class BenchLangidCommand implements Callable<Integer> {

  @ParentCommand BenchCommand parent;
  @Spec CommandSpec spec;

  @Option(
      names = "--texts",
      required = true,
      paramLabel = "FILE",
      description = "The labelled texts, JSON lines of scripts/langid_eval_set.py.")
  Path set;

  @Option(
      names = "--warcs",
      paramLabel = "DIR",
      description = "A folder of Common Crawl .warc.gz files whose HTML responses are timed.")
  Path warcs;

  @Option(
      names = "--iterations",
      defaultValue = "5",
      description = "Measured seconds per identifier (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description =
          "Rounds of the CPU time measurement, each identifier over all pages in turn (default:"
              + " ${DEFAULT-VALUE}).")
  int rounds;

  private static final int CPU_PAGES = 100;

  /** One labelled text of the set. */
  record LabelledText(String language, String length, String text) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<LabelledText> texts = read(set);
    out.printf("%s: %,d labelled texts%n", set, texts.size());
    for (String name : LanguageIdentifiers.NAMES) {
      long start = System.nanoTime();
      DocumentFilter identifier = LanguageIdentifiers.named(name);
      out.printf("%s loaded in %,d ms%n", name, (System.nanoTime() - start) / 1_000_000);
      for (String length : List.of("short", "long")) {
        out.println(accuracy(name, identifier, length, texts));
      }
      out.flush();
    }

    Path scratch = Files.createTempDirectory("millrace-bench-langid");
    try {
      Map<String, List<byte[]>> sets = new LinkedHashMap<>();
      sets.put(
          "javadoc",
          BenchCleanCommand.javadocPages(DemoCommand.demoCorpus(parent.millrace.config()), 500));
      List<byte[]> commonCrawl = BenchCleanCommand.commonCrawlPages(warcs);
      if (commonCrawl.isEmpty()) {
        out.println("commoncrawl: no --warcs folder given or no .warc.gz in it, left out");
      } else {
        sets.put("commoncrawl", commonCrawl);
      }
      BenchCleanCommand.writePageSets(scratch, sets, out);
      Map<String, Double> msPerPage = new LinkedHashMap<>();
      for (RunResult result :
          new Runner(
                  JmhOptions.of(LanguageIdBenchmark.class, 2, 2, iterations)
                      .param("pages", sets.keySet().toArray(String[]::new))
                      .jvmArgsAppend(
                          "-D" + CleanBenchmark.PAGES_PROPERTY + "=" + scratch,
                          "-Dai.djl.offline=true")
                      .build())
              .run()) {
        msPerPage.put(
            result.getParams().getParam("pages") + "/" + result.getParams().getParam("identifier"),
            1000 / result.getPrimaryResult().getScore());
      }
      for (String pages : sets.keySet()) {
        List<String> pageTexts = FilterBenchmark.extractedTexts(scratch.resolve(pages));
        double lingua = msPerPage.get(pages + "/lingua");
        Map<String, Double> cpu = identifiersInTurns(pageTexts);
        for (String identifier : LanguageIdentifiers.NAMES) {
          double ms = msPerPage.get(pages + "/" + identifier);
          out.printf(
              "RESULT langid %s on the %s pages: JMH %.3f ms per page (%.1f times faster than"
                  + " lingua); CPU in turns %.3f ms per page (%.1f times faster than lingua)%n",
              identifier,
              pages,
              ms,
              lingua / ms,
              cpu.get(identifier),
              cpu.get("lingua") / cpu.get(identifier));
        }
        Map<String, Double> stage = stageInTurns(sets.get(pages));
        double parse = stage.get("jsoup parse");
        out.printf(
            "RESULT langid clean stage on the %s pages, CPU in turns: jsoup parse %.3f ms per page;"
                + " extraction and the default filters, language-detector as the language filter,"
                + " %.3f ms (%.0f%% of the parse rate); the same with lingua %.3f ms (%.0f%%);"
                + " without a language filter %.3f ms (%.0f%%)%n",
            pages,
            parse,
            stage.get("language-detector"),
            100 * parse / stage.get("language-detector"),
            stage.get("lingua"),
            100 * parse / stage.get("lingua"),
            stage.get("none"),
            100 * parse / stage.get("none"));
      }
      out.flush();
    } finally {
      StageBenchmark.deleteScratch(scratch);
    }
    return 0;
  }

  /**
   * Each identifier on the same 100 pages' text: every fifth javadoc page, or each of a few often.
   */
  private Map<String, Double> identifiersInTurns(List<String> pageTexts) {
    int step = Math.max(1, pageTexts.size() / CPU_PAGES);
    Map<String, IntConsumer> contenders = new LinkedHashMap<>();
    for (String name : LanguageIdentifiers.NAMES) {
      DocumentFilter identifier = LanguageIdentifiers.named(name);
      contenders.put(
          name,
          i -> identifier.apply(FilterDocument.ofText(pageTexts.get(i * step % pageTexts.size()))));
    }
    return CpuTimeInTurns.msPerOperation(contenders, CPU_PAGES, rounds);
  }

  /**
   * The clean stage's whole work on a docs.raw record (as {@code bench clean}'s {@code
   * extractionAndFilters}) with each language filter in the default chain, and jsoup's bare parse
   * of the same pages, on the same 100 pages.
   */
  private Map<String, Double> stageInTurns(List<byte[]> bodies) {
    int step = Math.max(1, bodies.size() / CPU_PAGES);
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < bodies.size(); i++) {
      records.add(AvroSerde.rawDocument().encode(CleanBenchmark.page(i, bodies.get(i))));
    }
    Origin origin = new Origin("docs.raw", 0, 0);
    Map<String, IntConsumer> contenders = new LinkedHashMap<>();
    contenders.put(
        "jsoup parse",
        i -> {
          try {
            Jsoup.parse(new ByteArrayInputStream(bodies.get(i * step % bodies.size())), null, "")
                .text();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    for (String language : List.of("language-detector", "lingua", "none")) {
      DocumentCleaner stage = stageWith(language);
      contenders.put(
          language, i -> stage.judge(null, records.get(i * step % records.size()), origin));
    }
    return CpuTimeInTurns.msPerOperation(contenders, CPU_PAGES, rounds);
  }

  /** The clean stage with the default chain, its language filter the identifier named, or none. */
  private static DocumentCleaner stageWith(String language) {
    MillraceConfig defaults = MillraceConfig.of(Map.of());
    List<DocumentFilter> prose = new ArrayList<>();
    for (String filter : defaults.getList(CleanKeys.FILTERS_CHAIN)) {
      if (!filter.equals("language")) {
        prose.add(Filters.named(filter).build(Map.of()));
      } else if (!language.equals("none")) {
        prose.add(LanguageIdentifiers.named(language));
      }
    }
    return new DocumentCleaner(
        defaults.getInt(MillraceConfig.DOCUMENTS_MAX_BYTES),
        1024,
        Duration.ofMillis(defaults.getInt(CleanKeys.EXTRACTION_TIMEOUT_MS)),
        new FilterChain(prose, List.of()));
  }

  private List<LabelledText> read(Path file) throws Exception {
    if (!Files.isRegularFile(file)) {
      throw new ParameterException(
          spec.commandLine(),
          "No labelled set at " + file + ": make it with scripts/langid_eval_set.py " + file);
    }
    ObjectMapper json = new ObjectMapper();
    List<LabelledText> texts = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        JsonNode node = json.readTree(line);
        texts.add(
            new LabelledText(
                node.get("language").asText(),
                node.get("length").asText(),
                node.get("text").asText()));
      }
    }
    return texts;
  }

  /**
   * One line: how often the identifier names the label, and what English at 0.65 (FineWeb's rule,
   * the filter's default) keeps: English texts (recall) and texts of other languages (false keeps).
   */
  private static String accuracy(
      String name, DocumentFilter identifier, String length, List<LabelledText> texts) {
    int count = 0;
    int right = 0;
    int english = 0;
    int englishKept = 0;
    int othersKept = 0;
    double scoreWhenRight = 0;
    double scoreWhenWrong = 0;
    for (LabelledText text : texts) {
      if (!text.length().equals(length)) {
        continue;
      }
      FilterDocument document = FilterDocument.ofText(text.text());
      FilterVerdict verdict = identifier.apply(document);
      double score = document.signals().getOrDefault("language.language_score", 0.0);
      count++;
      if (text.language().equals(document.metadata().get("language"))) {
        right++;
        scoreWhenRight += score;
      } else {
        scoreWhenWrong += score;
      }
      boolean kept = verdict instanceof FilterVerdict.Keep;
      if (text.language().equals("en")) {
        english++;
        englishKept += kept ? 1 : 0;
      } else {
        othersKept += kept ? 1 : 0;
      }
    }
    return String.format(
        "RESULT langid %s, %s texts: %.1f%% named right (%d of %d); English at 0.65 keeps %d of"
            + " %d English texts and %d of %d others; mean score %.3f when right, %.3f when"
            + " wrong",
        name,
        length,
        100.0 * right / count,
        right,
        count,
        englishKept,
        english,
        othersKept,
        count - english,
        right == 0 ? 0 : scoreWhenRight / right,
        right == count ? 0 : scoreWhenWrong / (count - right));
  }
}
