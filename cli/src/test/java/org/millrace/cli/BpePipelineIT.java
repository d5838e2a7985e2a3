package org.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millrace.cli.commands.CorpusTexts;
import org.millrace.cli.dashboard.DashboardKeys;
import org.millrace.cli.local.LocalPipeline;
import org.millrace.cli.local.TrainerMeters;
import org.millrace.processors.clean.CleanKeys;
import org.millrace.producers.feed.Feeder;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.KafkaBrokerExtension;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.TokenizedDocument;
import org.millrace.schemas.TrainerProgress;
import org.millrace.tokenizer.PackedTokenIds;
import org.millrace.tokenizer.Tokenizer;
import org.millrace.tokenizer.TokenizerKeys;
import org.millrace.tokenizer.Tokenizers;
import org.millrace.tokenizer.bpe.BpeTrainer;
import org.millrace.trainer.ContinuousTrainer;
import org.millrace.trainer.TrainerClients;
import org.millrace.trainer.TrainerKeys;

/**
 * The pipeline with a BPE tokenizer trained here: the token stream decodes to the clean text, and
 * the model learns.
 */
public class BpePipelineIT {

  private static final Path DEMO_CORPUS = Path.of("target/demo-corpus/picocli");

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  @Test
  void aBpeTokenizerFileTokenizesThePipelineAndTrainsTheModel() throws Exception {
    // every page trains: the quality filters would keep a few of these javadoc pages
    MillraceConfig base =
        kafka.config(Map.of(CleanKeys.FILTERS_CHAIN, "", DashboardKeys.PORT, "-1"));
    BpeTrainer bpe = new BpeTrainer(2048, List.of("<|endoftext|>", "<|pad|>"));
    new CorpusTexts(base).forEach(List.of(DEMO_CORPUS.toString()), bpe::add);
    Path tokenizerFile = kafka.dataDir().resolve("tokenizer.json");
    bpe.train().write(tokenizerFile);

    MillraceConfig config =
        base.with(
            SmallPipeline.settings(
                Map.of(
                    TokenizerKeys.FILE, tokenizerFile.toString(),
                    TrainerKeys.WARMUP_STEPS, "2",
                    TrainerKeys.MAX_STEPS, "80")));
    Topics topics = Topics.of(config);
    Tokenizer tokenizer = Tokenizers.load(config);

    try (LocalPipeline pipeline = LocalPipeline.start(config, false)) {
      try (Feeder feeder = new Feeder(config)) {
        feeder.feed(List.of(DEMO_CORPUS));
      }
      long raw = kafka.records(topics.raw()).size();
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (tokenizedDocuments(topics) + duplicates(topics) + rejected(topics) < raw
          && System.nanoTime() < deadline) {
        Thread.sleep(500);
      }
    }

    Map<String, String> textById = new HashMap<>();
    kafka
        .records(topics.unique())
        .forEach(
            r -> {
              CleanDocument document = AvroSerde.cleanDocument().decode(r.value());
              textById.put(document.getId(), document.getText());
            });
    Map<String, List<TokenizedDocument>> chunksById = new HashMap<>();
    for (var record : kafka.records(topics.tokens())) {
      TokenizedDocument chunk = AvroSerde.tokenizedDocument().decode(record.value());
      chunksById.computeIfAbsent(chunk.getDocumentId(), id -> new ArrayList<>()).add(chunk);
    }
    assertThat(textById).hasSizeGreaterThan(100);
    assertThat(chunksById.keySet()).isEqualTo(textById.keySet());
    for (Map.Entry<String, List<TokenizedDocument>> document : chunksById.entrySet()) {
      List<Integer> ids = new ArrayList<>();
      for (TokenizedDocument chunk : document.getValue()) {
        assertThat(chunk.getTokenizerFingerprint()).isEqualTo(tokenizer.fingerprint());
        for (int id : PackedTokenIds.unpack(chunk.getTokens(), chunk.getTokenWidth())) {
          ids.add(id);
        }
      }
      assertThat(tokenizer.decode(ids.stream().mapToInt(Integer::intValue).toArray()))
          .isEqualTo(textById.get(document.getKey()) + "<|endoftext|>");
    }

    io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    try (ContinuousTrainer trainer = TrainerClients.connect(config, tokenizer)) {
      TrainerMeters.bind(meters, trainer, "default");
      assertThat(meters.get("millrace.trainer.loss").gauge().value()).isNaN();
      trainer.run();
    }
    List<TrainerProgress> progress = kafka.values(topics.progress(), AvroSerde.trainerProgress());
    TrainerProgress last = progress.get(progress.size() - 1);
    assertThat(meters.get("millrace.trainer.step").tag("run", "default").gauge().value())
        .isEqualTo(80);
    assertThat(meters.get("millrace.trainer.loss").gauge().value())
        .isEqualTo((double) last.getLoss());
    assertThat(meters.get("millrace.trainer.tokens.per.second").gauge().value())
        .isEqualTo(last.getTokensPerSecond());
    // The stream now holds BPE ids: a tokenize stage with another tokenizer is refused before it
    // starts.
    MillraceConfig byteLevel = config.with(Map.of(TokenizerKeys.FILE, ""));
    assertThatThrownBy(() -> LocalPipeline.start(byteLevel, false).close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("holds tokens of tokenizer " + tokenizer.fingerprint())
        .hasMessageContaining(new org.millrace.tokenizer.ByteLevelTokenizer().fingerprint());

    // The checkpoint generates text and is evaluated, from the command line.
    String[] settings = {
      "--set",
      "data.dir=" + kafka.dataDir(),
      "--set",
      "tokenizer.file=" + tokenizerFile,
      "--set",
      "trainer.block.size=32"
    };
    CommandRun generated =
        CommandRun.of(
            concat(
                new String[] {"generate", "--prompt", "The option", "--max-tokens", "30"},
                settings));
    assertThat(generated.exitCode()).as(generated.err()).isZero();
    assertThat(generated.out())
        .startsWith("The option")
        .hasSizeGreaterThan("The option".length() + 10);
    assertThat(
            CommandRun.of(
                    concat(
                        new String[] {"generate", "--prompt", "The option", "--max-tokens", "30"},
                        settings))
                .out())
        .as("the same seed, the same text")
        .isEqualTo(generated.out());
    CommandRun evaluated =
        CommandRun.of(
            concat(
                new String[] {
                  "eval", "--input", DEMO_CORPUS.resolve("overview-tree.html").toString()
                },
                settings));
    assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
    double evalLoss =
        Double.parseDouble(evaluated.out().replaceAll("(?s).*loss=([0-9.]+).*", "$1"));
    assertThat(evalLoss).isLessThan(Math.log(2048)).isGreaterThan(0.5);

    float first = progress.get(0).getLoss();
    assertThat((double) first)
        .as("a fresh model guesses uniformly over the BPE vocabulary")
        .isCloseTo(Math.log(2048), org.assertj.core.data.Offset.offset(0.3));
    double lastFive =
        progress.subList(progress.size() - 5, progress.size()).stream()
            .mapToDouble(TrainerProgress::getLoss)
            .average()
            .orElseThrow();
    System.err.printf(
        "BpePipelineIT: loss %.3f at step 1, %.3f over the last five steps%n", first, lastFive);
    assertThat(lastFive).as("mean loss of the last five of 80 steps").isLessThan(first * 0.85);
  }

  private static String[] concat(String[] first, String[] second) {
    String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }

  private static long duplicates(Topics topics) {
    return kafka.records(topics.duplicates()).size();
  }

  private static long rejected(Topics topics) {
    return kafka.records(topics.rejected()).size();
  }

  private static long tokenizedDocuments(Topics topics) {
    return kafka.values(topics.tokens(), AvroSerde.tokenizedDocument()).stream()
        .filter(t -> t.getChunkIndex() == 0)
        .count();
  }
}
