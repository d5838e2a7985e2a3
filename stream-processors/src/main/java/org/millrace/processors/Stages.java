package org.millrace.processors;

import java.util.List;
import org.millrace.processors.clean.CleanTopology;
import org.millrace.processors.clean.DocumentCleaner;
import org.millrace.processors.dedup.DedupTopology;
import org.millrace.processors.tokenize.TokenStreamGuard;
import org.millrace.processors.tokenize.TokenizeTopology;
import org.millrace.runtime.topics.Topics;
import org.millrace.tokenizer.Tokenizer;
import org.millrace.tokenizer.Tokenizers;

/**
 * The pipeline's Kafka Streams stages, in the order the data flows. {@code millrace up}, the stage
 * commands, {@code status}, the dashboard and the benchmarks all take them from here: adding a
 * stage is one line in {@link #ALL}.
 */
public final class Stages {

  /** docs.raw → extraction, normalisation, quality filters → docs.clean. */
  public static final Stage CLEAN =
      new Stage(DocumentCleaner.STAGE, "millrace-clean", Topics::raw, CleanTopology::build);

  /** docs.clean → exact and near-duplicate removal → docs.unique, docs.duplicates. */
  public static final Stage DEDUP =
      new Stage(DedupTopology.STAGE, "millrace-dedup", Topics::clean, DedupTopology::build);

  /**
   * docs.unique → token ids → tokens, with the configured tokenizer, which must be the one the
   * tokens topic already holds.
   */
  public static final Stage TOKENIZE =
      new Stage(
          TokenizeTopology.STAGE,
          "millrace-tokenize",
          Topics::unique,
          (config, applicationId) -> {
            Tokenizer tokenizer = Tokenizers.load(config);
            TokenStreamGuard.requireSameTokenizer(
                config, tokenizer.fingerprint(), tokenizer.toString());
            return TokenizeTopology.build(config, applicationId, tokenizer);
          });

  public static final List<Stage> ALL = List.of(CLEAN, DEDUP, TOKENIZE);

  private Stages() {}

  /** The stage of this name, for a command line that names one. */
  public static Stage named(String name) {
    return ALL.stream()
        .filter(stage -> stage.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no stage named " + name));
  }
}
