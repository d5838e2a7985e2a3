package org.millrace.runtime.topics;

import java.util.List;
import org.millrace.runtime.config.MillraceConfig;

/**
 * The names of Millrace's topics, with the configured prefix. DESIGN.md's data flow: raw → clean →
 * unique → tokens → trainer, with duplicates and rejected on the side, the trainer's progress, and
 * the feeder's progress (written in the same transactions as the records it counts), and the
 * pseudo-gradients that several trainers of one model exchange (DiLoCo, docs/operations.md).
 */
public record Topics(
    String raw,
    String clean,
    String unique,
    String duplicates,
    String rejected,
    String tokens,
    String progress,
    String feedProgress,
    String trainerSync) {

  public static Topics withPrefix(String prefix) {
    return new Topics(
        prefix + "docs.raw",
        prefix + "docs.clean",
        prefix + "docs.unique",
        prefix + "docs.duplicates",
        prefix + "docs.rejected",
        prefix + "tokens",
        prefix + "trainer.progress",
        prefix + "feed.progress",
        prefix + "trainer.sync");
  }

  public static Topics of(MillraceConfig config) {
    return withPrefix(config.getString(MillraceConfig.TOPICS_PREFIX));
  }

  public List<String> all() {
    return List.of(
        raw, clean, unique, duplicates, rejected, tokens, progress, feedProgress, trainerSync);
  }
}
