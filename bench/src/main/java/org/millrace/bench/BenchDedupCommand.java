package org.millrace.bench;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.millrace.processors.Stages;
import org.millrace.processors.StreamsStage;
import org.millrace.processors.dedup.DedupKeys;
import org.millrace.processors.dedup.DedupTopology;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.CleanDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code millrace bench dedup}: documents/s through the dedup topology on an embedded broker, and
 * the state it keeps per document.
 */
@Command(
    name = "dedup",
    mixinStandardHelpOptions = true,
    header = "Documents/s of the dedup stage end to end, and its state per document.",
    description = {
      "Writes --documents documents of 5 KB to docs.clean on an embedded broker (one partition):",
      "originals of English-like pseudo-text, with a tenth exact copies and a tenth near copies (2%"
          + " of",
      "their words replaced) of earlier ones. Then runs the dedup stage with one Kafka Streams"
          + " thread,",
      "exactly once, and times it from running to the last verdict; twice, in the same run: exact",
      "dedup only (the reference), then exact and near (MinHash LSH, the defaults). Prints the"
          + " state",
      "per document: the changelog topics' bytes and the RocksDB folder's.",
      "The last line reads documents/s=<number> (exact and near)."
    })
public final class BenchDedupCommand implements Callable<Integer> {

  @ParentCommand BenchCommand parent;
  @Spec CommandSpec spec;

  @Mixin DocumentCount corpusSize;

  private record Measured(
      double seconds, double verdicts, double duplicates, long changelogBytes, long rocksDbBytes) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<CleanDocument> documents = corpus(corpusSize.count, new Random(42));
    long bytes = documents.stream().mapToLong(d -> d.getText().length()).sum();
    out.printf(
        "corpus: %,d documents, %,d bytes (about a tenth exact and a tenth near copies)%n",
        documents.size(), bytes);
    out.flush();

    try (StageBenchmark bench = StageBenchmark.start()) {
      Measured exact = measure(bench, "exact", documents, false);
      report(out, "exact only (reference)", exact, bytes);
      Measured near = measure(bench, "near", documents, true);
      report(out, "exact and near", near, bytes);
      out.printf(
          "RESULT dedup exact-only documents/s=%.0f ratio=%.2f, exact and near documents/s=%.0f%n",
          corpusSize.count / exact.seconds(),
          exact.seconds() / near.seconds(),
          corpusSize.count / near.seconds());
      out.flush();
    }
    return 0;
  }

  private static void report(PrintWriter out, String name, Measured measured, long bytes) {
    out.printf(
        "%-24s %,8.0f documents/s, %5.1f MB/s; state per document: %,6.0f bytes of changelog,"
            + " %,6.0f bytes of RocksDB; %.0f duplicates found%n",
        name + ":",
        measured.verdicts() / measured.seconds(),
        bytes / 1e6 / measured.seconds(),
        (double) measured.changelogBytes() / measured.verdicts(),
        (double) measured.rocksDbBytes() / measured.verdicts(),
        measured.duplicates());
    out.flush();
  }

  /** Runs the dedup stage over the documents, on topics of their own, and measures it. */
  private Measured measure(
      StageBenchmark bench, String name, List<CleanDocument> documents, boolean near)
      throws Exception {
    MillraceConfig config =
        bench.run(
            parent.millrace.config(), name, Map.of(DedupKeys.NEAR_ENABLED, String.valueOf(near)));
    AvroSerde<CleanDocument> serde = AvroSerde.cleanDocument();
    bench.produce(
        config,
        Stages.DEDUP.inputTopic(config),
        documents.stream()
            .map(d -> Map.entry(d.getId().getBytes(StandardCharsets.UTF_8), serde.encode(d)))
            .toList());
    return bench.time(
        config,
        Stages.DEDUP,
        BenchDedupCommand::verdicts,
        documents.size(),
        (seconds, stage, applicationId) -> {
          Thread.sleep(500); // the last commit, which flushes the stores
          long changelog = 0;
          for (String store : DedupTopology.STORES) {
            changelog += bench.logSize(applicationId + "-" + store + "-changelog");
          }
          return new Measured(
              seconds,
              verdicts(stage),
              verdicts(stage) - metric(stage, "unique-total"),
              changelog,
              StageBenchmark.folderBytes(config.dataDir().resolve("streams")));
        });
  }

  private static double verdicts(StreamsStage stage) {
    return metric(stage, "unique-total")
        + metric(stage, "url-duplicates-total")
        + metric(stage, "exact-duplicates-total")
        + metric(stage, "near-duplicates-total");
  }

  private static double metric(StreamsStage stage, String name) {
    return StageBenchmark.metric(stage, DedupTopology.METRICS_GROUP, name, Map.of());
  }

  static List<CleanDocument> corpus(int count, Random random) {
    List<CleanDocument> documents = new ArrayList<>();
    List<String> originals = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String text;
      int kind = random.nextInt(10);
      if (kind == 0 && !originals.isEmpty()) {
        text = originals.get(random.nextInt(originals.size()));
      } else if (kind == 1 && !originals.isEmpty()) {
        String[] words = originals.get(random.nextInt(originals.size())).split(" ");
        for (int r = 0; r < words.length / 50; r++) {
          words[random.nextInt(words.length)] = "changed" + random.nextInt(1000);
        }
        text = String.join(" ", words);
      } else {
        text = MinHashBenchmark.document(random);
        originals.add(text);
      }
      documents.add(
          CleanDocument.newBuilder().setId("doc-" + i).setSource("bench").setText(text).build());
    }
    return documents;
  }
}
