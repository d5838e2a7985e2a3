package org.millrace.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.millrace.cli.Millrace;
import org.millrace.processors.clean.DocumentCleaner;
import org.millrace.processors.filter.FilterChain;
import org.millrace.producers.feed.FeedSettings;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.reject.DocumentRejectedException;
import org.millrace.schemas.reject.Rejection.FilterDrop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code millrace inspect PATH...}. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    header = "Run extraction and the quality filters on local files, and show every signal.",
    description = {
      "Read files as 'millrace feed' does (HTML, text, JSONL, WARC/WET, Parquet, code), run the",
      "clean stage's extraction and every filter of its chain (filters.chain, or"
          + " filters.code.chain",
      "for code) on each document, and print what each filter measured, its verdict and reason,",
      "and what the stage would do: the first drop decides. Nothing is sent to Kafka. Tune",
      "thresholds with --set filters.<filter>.<parameter>=VALUE (docs/filters.md)."
    })
public final class InspectCommand implements Callable<Integer> {

  @ParentCommand Millrace millrace;
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files, folders or globs.")
  List<String> paths;

  @Option(names = "--text", description = "Also print each document's text as the filters left it.")
  boolean showText;

  @Option(names = "--json", description = "One JSON object per document (JSON lines).")
  boolean json;

  @Option(
      names = "--text-field",
      paramLabel = "NAME",
      description = "The JSONL field or Parquet column that holds the text (default: text).")
  String textField = FeedSettings.DEFAULT_TEXT_FIELD;

  @Option(names = "--code", description = "Read every folder as a source tree, as feed --code.")
  boolean code;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Stop after N documents (default: all).")
  Long limit;

  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<String, Long> outcomes = new TreeMap<>();
  private long documents;

  @Override
  public Integer call() throws Exception {
    MillraceConfig config = millrace.config();
    DocumentCleaner cleaner = DocumentCleaner.of(config);
    PrintWriter out = spec.commandLine().getOut();
    LocalDocuments.read(
        paths,
        code,
        textField,
        config.getInt(MillraceConfig.DOCUMENTS_MAX_BYTES),
        document -> {
          if (limit != null && documents >= limit) {
            throw new LocalDocuments.Enough();
          }
          documents++;
          inspect(cleaner, document, out);
          out.flush();
        },
        refused -> {
          count("refused by the feeder: " + refused.reason().code());
          if (!json) {
            out.printf(
                "%n== %s%n  REFUSED by the feeder: %s: %s%n",
                refused.source(), refused.reason().code(), refused.detail());
          }
        });
    if (!json) {
      out.printf("%n%,d documents:%n", documents);
      outcomes.forEach((outcome, count) -> out.printf("  %,8d  %s%n", count, outcome));
    }
    out.flush();
    return 0;
  }

  private void inspect(DocumentCleaner cleaner, RawDocument raw, PrintWriter out) {
    DocumentCleaner.Inspection inspection;
    try {
      inspection = cleaner.inspect(raw);
    } catch (DocumentRejectedException e) {
      count("rejected by extraction: " + e.reason().code());
      if (json) {
        ObjectNode node = header(raw);
        node.put("verdict", "rejected");
        node.put("reason", e.reason().code());
        node.put("detail", e.detail());
        out.println(toJson(node));
      } else {
        printHeader(raw, out);
        out.printf("  REJECTED by extraction: %s: %s%n", e.reason().code(), e.detail());
      }
      return;
    }
    FilterDrop decisive = inspection.drop().orElse(null);
    count(decisive == null ? "kept" : "dropped by " + decisive.filter() + ": " + decisive.reason());
    if (json) {
      out.println(toJson(asJson(raw, inspection, decisive)));
      return;
    }
    printHeader(raw, out);
    out.printf(
        "  %,d characters extracted%s%n",
        inspection.extractedText().length(),
        inspection.title() == null ? "" : ", title \"" + inspection.title() + "\"");
    for (FilterChain.Step step : inspection.steps()) {
      out.printf(
          "  %-18s %s%n",
          step.filter(),
          step.drop()
              .map(
                  drop ->
                      "DROP  "
                          + drop.reason()
                          + " ("
                          + number(drop.measured())
                          + " against "
                          + number(drop.threshold())
                          + "): "
                          + drop.detail())
              .orElse("keep"));
      String signals = signalsOf(inspection, step.filter());
      if (!signals.isEmpty()) {
        out.println("      " + signals);
      }
    }
    out.println(
        decisive == null
            ? "  => KEPT (" + inspection.document().text().length() + " characters)"
            : "  => DROPPED by " + decisive.filter() + " (" + decisive.reason() + ")");
    if (showText) {
      out.println("  ---");
      inspection.document().text().lines().forEach(line -> out.println("  | " + line));
    }
  }

  private String toJson(ObjectNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void count(String outcome) {
    outcomes.merge(outcome, 1L, Long::sum);
  }

  private static void printHeader(RawDocument raw, PrintWriter out) {
    out.println();
    out.printf(
        "== %s%s  [%s, %,d bytes]%n",
        raw.getUrl() == null ? raw.getSource() : raw.getUrl(),
        raw.getUrl() == null ? "" : "  (" + raw.getSource() + ")",
        raw.getContentType(),
        raw.getBody().remaining());
  }

  private static String signalsOf(DocumentCleaner.Inspection inspection, String filter) {
    List<String> parts = new ArrayList<>();
    inspection
        .document()
        .signals()
        .forEach(
            (name, value) -> {
              if (name.startsWith(filter + ".")) {
                parts.add(name.substring(filter.length() + 1) + "=" + number(value));
              }
            });
    return String.join("  ", parts);
  }

  private static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format("%.4g", value);
  }

  private ObjectNode header(RawDocument raw) {
    ObjectNode node = mapper.createObjectNode();
    node.put("id", raw.getId());
    node.put("url", raw.getUrl());
    node.put("source", raw.getSource());
    node.put("contentType", raw.getContentType());
    node.put("bytes", raw.getBody().remaining());
    return node;
  }

  private ObjectNode asJson(
      RawDocument raw, DocumentCleaner.Inspection inspection, FilterDrop decisive) {
    ObjectNode node = header(raw);
    node.put("verdict", decisive == null ? "kept" : "dropped");
    if (decisive != null) {
      node.put("filter", decisive.filter());
      node.put("reason", decisive.reason());
    }
    node.put("title", inspection.title());
    node.put("extractedCharacters", inspection.extractedText().length());
    ObjectNode filters = node.putObject("filters");
    for (FilterChain.Step step : inspection.steps()) {
      ObjectNode filter = filters.putObject(step.filter());
      filter.put("verdict", step.drop().isPresent() ? "drop" : "keep");
      step.drop()
          .ifPresent(
              drop -> {
                filter.put("reason", drop.reason());
                filter.put("measured", drop.measured());
                filter.put("threshold", drop.threshold());
                filter.put("detail", drop.detail());
              });
    }
    ObjectNode signals = node.putObject("signals");
    inspection.document().signals().forEach(signals::put);
    ObjectNode metadata = node.putObject("metadata");
    inspection.document().metadata().forEach(metadata::put);
    if (showText) {
      node.put("text", inspection.document().text());
    }
    return node;
  }
}
