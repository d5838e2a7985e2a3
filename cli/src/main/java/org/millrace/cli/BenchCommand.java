package org.millrace.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.millrace.processors.StreamsStage;
import org.millrace.processors.tokenize.TokenizeTopology;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.kafka.EmbeddedKafkaBroker;
import org.millrace.runtime.topics.TopicBootstrap;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.CleanDocument;
import org.millrace.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code millrace bench}: the measurements of docs/benchmarks.md, reproducible with one command
 * each.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    header = "Measure Millrace against its references (docs/benchmarks.md).",
    subcommands = {
      BenchCommand.Tokenize.class,
      BenchTrainCommand.class,
      BenchShakespeareCommand.class,
      BenchHybridCommand.class,
      BenchMinHashCommand.class,
      BenchDedupCommand.class,
      BenchCrawlCommand.class,
      BenchCleanCommand.class,
      BenchFeedCommand.class
    })
final class BenchCommand {

  @ParentCommand Millrace millrace;

  /**
   * Deletes a benchmark's scratch folder (an embedded broker's data, state stores) and all in it.
   */
  static void deleteScratch(Path folder) throws java.io.IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  @Command(
      name = "tokenize",
      mixinStandardHelpOptions = true,
      header = "Tokens/s of the tokenizer alone and of the tokenize stage through a local broker.",
      description = {
        "Reads the corpus (as 'tokenizer train' does), then measures on the same documents, in this"
            + " run:",
        "  (a) the tokenizer's batch encode alone (batches of 64 documents),",
        "  (b) the tokenizer's encode one document at a time, as the stage calls it,",
        "  (c) the tokenize stage end to end: the documents are written to docs.unique on an"
            + " embedded",
        "      broker, then one Kafka Streams thread on one partition tokenizes them with"
            + " exactly-once",
        "      (commits every 100 ms); timed from the stage running to its last commit.",
        "(a) and (b) are the median of three measurements; each measurement makes --repeat passes.",
        "Run with TOKENIZERS_PARALLELISM=false for per-core figures: the Rust library otherwise"
            + " spreads",
        "a batch over every core."
      })
  static final class Tokenize implements Callable<Integer> {
    @ParentCommand BenchCommand parent;
    @Spec CommandSpec spec;

    @Option(
        names = "--input",
        required = true,
        paramLabel = "PATH|topic:NAME",
        description = "Repeatable.")
    List<String> inputs;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "Default: tokenizer.file.")
    Path tokenizerFile;

    @Option(
        names = "--repeat",
        defaultValue = "1",
        description = "Passes over the corpus per measurement.")
    int repeat;

    private long tokensTopicBytes;

    @Override
    public Integer call() throws Exception {
      MillraceConfig configured = parent.millrace.config();
      Tokenizer tokenizer = TokenizerCommand.tokenizer(tokenizerFile, configured);
      CorpusTexts.check(inputs);
      List<String> documents = new ArrayList<>();
      new CorpusTexts(configured).forEach(inputs, documents::add);
      long characters = documents.stream().mapToLong(String::length).sum();
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "corpus: %,d documents, %,d characters; tokenizer: %s%n",
          documents.size(), characters, tokenizer);

      long tokens = countTokens(tokenizer, documents); // also the warm-up
      // The tokenizer alone: the median of three measurements, each `repeat` passes, against this
      // VM's noise.
      double batch =
          median(
              () ->
                  measure(
                      () -> {
                        for (int i = 0; i < documents.size(); i += 64) {
                          tokenizer.encodeAll(
                              documents.subList(i, Math.min(documents.size(), i + 64)));
                        }
                      }));
      double single = median(() -> measure(() -> documents.forEach(tokenizer::encode)));
      double stage = measureStage(configured, tokenizer, documents);

      double batchRate = tokens * repeat / batch;
      out.printf(
          "(a) batch encode alone:          %,12.0f tokens/s (%,d tokens x %d in %.2f s)%n",
          batchRate, tokens, repeat, batch);
      out.printf(
          "(b) encode, one document a call: %,12.0f tokens/s (%.0f%% of a)%n",
          tokens * repeat / single, 100 * batch / single);
      out.printf(
          "(c) tokenize stage, end to end:  %,12.0f tokens/s (%.0f%% of a)%n",
          tokens * repeat / stage, 100 * batch / stage);
      out.printf(
          "    the tokens topic holds %.2f bytes per token on disk (%d-byte ids, %s compression,"
              + " record overhead included)%n",
          (double) tokensTopicBytes / (tokens * repeat),
          org.millrace.tokenizer.PackedTokenIds.widthFor(tokenizer.vocabularySize()),
          configured.getString(MillraceConfig.TOPICS_COMPRESSION_TYPE));
      out.flush();
      return 0;
    }

    private long countTokens(Tokenizer tokenizer, List<String> documents) {
      long tokens = 0;
      for (String document : documents) {
        tokens += tokenizer.encode(document).length;
      }
      return tokens;
    }

    private static double median(java.util.function.DoubleSupplier measurement) {
      double[] seconds = {
        measurement.getAsDouble(), measurement.getAsDouble(), measurement.getAsDouble()
      };
      java.util.Arrays.sort(seconds);
      return seconds[1];
    }

    private double measure(Runnable pass) {
      long start = System.nanoTime();
      for (int i = 0; i < repeat; i++) {
        pass.run();
      }
      return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Seconds the tokenize stage takes for every document, repeat times, from running to its last
     * commit.
     */
    private double measureStage(
        MillraceConfig configured, Tokenizer tokenizer, List<String> documents) throws Exception {
      Path dataDir = Files.createTempDirectory("millrace-bench");
      try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0)) {
        MillraceConfig config =
            configured.with(
                Map.of(
                    MillraceConfig.BOOTSTRAP_SERVERS,
                    broker.bootstrapServers(),
                    MillraceConfig.DATA_DIR,
                    dataDir.toString(),
                    MillraceConfig.TOPICS_PARTITIONS,
                    "1",
                    // frequent commits, so that the end of the run is seen within 100 ms of the
                    // last record
                    MillraceConfig.STREAMS_COMMIT_INTERVAL_MS,
                    "100"));
        Topics topics = Topics.of(config);
        try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
          TopicBootstrap.ensureTopics(admin, TopicBootstrap.specifications(config));
          try (KafkaProducer<byte[], byte[]> producer =
              new KafkaProducer<>(KafkaClientProperties.producer(config, "bench"))) {
            AvroSerde<CleanDocument> serde = AvroSerde.cleanDocument();
            for (int pass = 0; pass < repeat; pass++) {
              for (int i = 0; i < documents.size(); i++) {
                String id = "doc-" + pass + "-" + i;
                producer.send(
                    new ProducerRecord<>(
                        topics.unique(),
                        id.getBytes(StandardCharsets.UTF_8),
                        serde.encode(
                            CleanDocument.newBuilder()
                                .setId(id)
                                .setSource("bench")
                                .setText(documents.get(i))
                                .build())));
              }
            }
          }
          TopicPartition input = new TopicPartition(topics.unique(), 0);
          long end =
              admin.listOffsets(Map.of(input, OffsetSpec.latest())).all().get().get(input).offset();

          Properties properties =
              KafkaClientProperties.streams(config, TokenizeTopology.APPLICATION_ID);
          properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
          try (StreamsStage stage =
              StreamsStage.start(
                  "tokenize", TokenizeTopology.build(config, tokenizer), properties)) {
            while (stage.state() != KafkaStreams.State.RUNNING) {
              Thread.sleep(10);
            }
            long start = System.nanoTime();
            while (committed(admin, input) < end) {
              if (stage.failed()) {
                throw new IllegalStateException("the tokenize stage failed during the benchmark");
              }
              Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            tokensTopicBytes = logSize(admin, broker, topics.tokens());
            return seconds;
          }
        }
      } finally {
        deleteScratch(dataDir);
      }
    }

    /**
     * Bytes the topic takes in the broker's log: records, their headers and batches, compressed.
     */
    static long logSize(Admin admin, EmbeddedKafkaBroker broker, String topic) throws Exception {
      long bytes = 0;
      for (var logDir : admin.describeLogDirs(List.of(1)).allDescriptions().get().get(1).values()) {
        for (var replica : logDir.replicaInfos().entrySet()) {
          if (replica.getKey().topic().equals(topic)) {
            bytes += replica.getValue().size();
          }
        }
      }
      return bytes;
    }

    private static long committed(Admin admin, TopicPartition partition) throws Exception {
      OffsetAndMetadata offset =
          admin
              .listConsumerGroupOffsets(TokenizeTopology.APPLICATION_ID)
              .partitionsToOffsetAndMetadata()
              .get()
              .get(partition);
      return offset == null ? 0 : offset.offset();
    }
  }
}
