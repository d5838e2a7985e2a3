package org.millrace.bench;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.millrace.cli.commands.CorpusInputs;
import org.millrace.cli.commands.TokenizerOption;
import org.millrace.processors.Stages;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.CleanDocument;
import org.millrace.tokenizer.Tokenizer;
import org.millrace.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code millrace bench tokenize}. */
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
public final class BenchTokenizeCommand implements Callable<Integer> {
  @ParentCommand BenchCommand parent;
  @Spec CommandSpec spec;

  @Mixin CorpusInputs corpus;

  @Mixin TokenizerOption tokenizerOption;

  @Option(
      names = "--repeat",
      defaultValue = "1",
      description = "Passes over the corpus per measurement.")
  int repeat;

  private long tokensTopicBytes;

  @Override
  public Integer call() throws Exception {
    MillraceConfig configured = tokenizerOption.applyTo(parent.millrace.config());
    Tokenizer tokenizer = Tokenizers.load(configured);
    List<String> documents = new ArrayList<>();
    corpus.forEach(configured, documents::add);
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
    double stage = measureStage(configured, documents);

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
  private double measureStage(MillraceConfig configured, List<String> documents) throws Exception {
    try (StageBenchmark bench = StageBenchmark.start()) {
      MillraceConfig config = bench.run(configured, "tokenize", Map.of());
      Topics topics = Topics.of(config);
      AvroSerde<CleanDocument> serde = AvroSerde.cleanDocument();
      List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
      for (int pass = 0; pass < repeat; pass++) {
        for (int i = 0; i < documents.size(); i++) {
          String id = "doc-" + pass + "-" + i;
          CleanDocument document =
              CleanDocument.newBuilder()
                  .setId(id)
                  .setSource("bench")
                  .setText(documents.get(i))
                  .build();
          records.add(Map.entry(id.getBytes(StandardCharsets.UTF_8), serde.encode(document)));
        }
      }
      return bench.timeVerdicts(
          config,
          Stages.TOKENIZE,
          records,
          (seconds, stage, applicationId) -> {
            Thread.sleep(500); // the last commit, after which the topic holds every token
            tokensTopicBytes = bench.logSize(topics.tokens());
            return seconds;
          });
    }
  }
}
