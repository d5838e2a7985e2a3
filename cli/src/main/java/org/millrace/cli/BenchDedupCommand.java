package org.millrace.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.millrace.processors.StreamsStage;
import org.millrace.processors.dedup.DedupTopology;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.kafka.EmbeddedKafkaBroker;
import org.millrace.runtime.topics.TopicBootstrap;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.CleanDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
final class BenchDedupCommand implements Callable<Integer> {

  @ParentCommand BenchCommand parent;
  @Spec CommandSpec spec;

  @Option(
      names = "--documents",
      defaultValue = "20000",
      description = "Documents (default: ${DEFAULT-VALUE}).")
  int count;

  private record Measured(
      double seconds, double verdicts, double duplicates, long changelogBytes, long rocksDbBytes) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<CleanDocument> documents = corpus(count, new Random(42));
    long bytes = documents.stream().mapToLong(d -> d.getText().length()).sum();
    out.printf(
        "corpus: %,d documents, %,d bytes (about a tenth exact and a tenth near copies)%n",
        documents.size(), bytes);
    out.flush();

    Path dataDir = Files.createTempDirectory("millrace-bench-dedup");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0)) {
      Measured exact = measure(broker, dataDir, "exact", documents, false);
      report(out, "exact only (reference)", exact, bytes);
      Measured near = measure(broker, dataDir, "near", documents, true);
      report(out, "exact and near", near, bytes);
      out.printf(
          "RESULT dedup exact-only documents/s=%.0f ratio=%.2f, exact and near documents/s=%.0f%n",
          count / exact.seconds(), exact.seconds() / near.seconds(), count / near.seconds());
      out.flush();
    } finally {
      BenchCommand.deleteScratch(dataDir);
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
      EmbeddedKafkaBroker broker,
      Path dataDir,
      String name,
      List<CleanDocument> documents,
      boolean near)
      throws Exception {
    MillraceConfig config =
        parent
            .millrace
            .config()
            .with(
                Map.of(
                    MillraceConfig.BOOTSTRAP_SERVERS,
                    broker.bootstrapServers(),
                    MillraceConfig.DATA_DIR,
                    dataDir.resolve(name).toString(),
                    MillraceConfig.TOPICS_PREFIX,
                    name + ".",
                    MillraceConfig.TOPICS_PARTITIONS,
                    "1",
                    MillraceConfig.STREAMS_COMMIT_INTERVAL_MS,
                    "100",
                    MillraceConfig.DEDUP_NEAR_ENABLED,
                    String.valueOf(near)));
    Topics topics = Topics.of(config);
    try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
      TopicBootstrap.ensureTopics(admin, TopicBootstrap.specifications(config));
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(KafkaClientProperties.producer(config, "bench"))) {
        AvroSerde<CleanDocument> serde = AvroSerde.cleanDocument();
        for (CleanDocument document : documents) {
          producer.send(
              new ProducerRecord<>(
                  topics.clean(),
                  document.getId().getBytes(StandardCharsets.UTF_8),
                  serde.encode(document)));
        }
      }
      Properties properties =
          KafkaClientProperties.streams(config, name + "-" + DedupTopology.APPLICATION_ID);
      properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
      try (StreamsStage stage =
          StreamsStage.start("dedup", DedupTopology.build(config), properties)) {
        while (stage.state() != KafkaStreams.State.RUNNING) {
          Thread.sleep(10);
        }
        long start = System.nanoTime();
        while (verdicts(stage) < documents.size()) {
          if (stage.failed()) {
            throw new IllegalStateException(
                "the dedup stage failed during the benchmark", stage.failure());
          }
          Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Thread.sleep(500); // the last commit, which flushes the stores
        long changelog = 0;
        for (String store : List.of("dedup-buckets", "dedup-pending")) {
          changelog +=
              BenchCommand.Tokenize.logSize(
                  admin,
                  broker,
                  name + "-" + DedupTopology.APPLICATION_ID + "-" + store + "-changelog");
        }
        double duplicates = verdicts(stage) - metric(stage, "unique-total");
        return new Measured(
            seconds,
            verdicts(stage),
            duplicates,
            changelog,
            folderBytes(config.dataDir().resolve("streams")));
      }
    }
  }

  private static double verdicts(StreamsStage stage) {
    return metric(stage, "unique-total")
        + metric(stage, "url-duplicates-total")
        + metric(stage, "exact-duplicates-total")
        + metric(stage, "near-duplicates-total");
  }

  private static double metric(StreamsStage stage, String name) {
    return stage.metrics().values().stream()
        .filter(m -> m.metricName().group().equals(DedupTopology.METRICS_GROUP))
        .filter(m -> m.metricName().name().equals(name))
        .mapToDouble(m -> ((Number) m.metricValue()).doubleValue())
        .sum();
  }

  private static long folderBytes(Path folder) throws Exception {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum();
    }
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
