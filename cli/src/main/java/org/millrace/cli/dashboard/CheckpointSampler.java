package org.millrace.cli.dashboard;

import java.nio.file.Path;
import java.util.Optional;
import org.millrace.cli.commands.CheckpointOptions;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.tokenizer.Tokenizer;
import org.millrace.tokenizer.Tokenizers;
import org.millrace.trainer.TrainerSettings;
import org.millrace.trainer.checkpoint.CheckpointStore;
import org.millrace.trainer.generate.TextSampler;
import org.millrace.trainer.model.Architecture;
import org.millrace.trainer.optim.ModelTrainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's generated samples: when the trainer has written a checkpoint the dashboard has
 * not sampled yet, loads it and continues a fixed prompt, as {@code millrace generate --prompt 'The
 * '} with its default temperature, top k and seed would (so the command gives the same text). The
 * trainer publishes no samples itself; this reads its checkpoint folder, so {@code millrace
 * dashboard} shows samples only where that folder is visible (same host and {@code data.dir}).
 * Called from one thread, never concurrently: one checkpoint loaded at a time.
 */
public final class CheckpointSampler {

  private static final Logger log = LoggerFactory.getLogger(CheckpointSampler.class);

  public static final String PROMPT = "The ";

  /** {@code millrace generate}'s defaults. */
  public static final TextSampler SAMPLER = new TextSampler(0.8, 200, 1337);

  private final MillraceConfig config;
  private final DashboardHistory history;
  private final int maxTokens;
  private Path sampled;

  public CheckpointSampler(MillraceConfig config, DashboardHistory history) {
    this.config = config;
    this.history = history;
    this.maxTokens = config.getInt(DashboardKeys.SAMPLE_TOKENS);
  }

  /** Samples the latest checkpoint if it is new; otherwise, or when it cannot, says why. */
  public void sampleNewCheckpoint() {
    if (maxTokens == 0) {
      history.samplesNote(DashboardKeys.SAMPLE_TOKENS + " is 0: no samples");
      return;
    }
    try {
      Tokenizer tokenizer = Tokenizers.load(config);
      Path folder = TrainerSettings.from(config, tokenizer).checkpointDirectory();
      Optional<Path> latest = new CheckpointStore(folder, 1).latest();
      if (latest.isEmpty()) {
        if (sampled == null) {
          history.samplesNote("no checkpoint in " + folder.toAbsolutePath() + " yet");
        }
        return;
      }
      if (latest.get().equals(sampled)) {
        return;
      }
      sampled = latest.get();
      history.addSample(sample(latest.get(), tokenizer));
    } catch (Exception | LinkageError e) {
      // the trainer may have deleted the checkpoint while it was read: the next one is sampled.
      // Caught wide: an exception that left this method would end the scheduled sampling.
      log.warn("The dashboard could not sample {}: {}", sampled, e.toString(), e);
      history.samplesNote("no sample: " + e.getMessage());
    }
  }

  private DashboardHistory.Sample sample(Path checkpoint, Tokenizer tokenizer) throws Exception {
    CheckpointOptions options = new CheckpointOptions();
    options.checkpoint = checkpoint;
    CheckpointStore.Restored restored = options.restore(config, tokenizer);
    try (ModelTrainer model = restored.model()) {
      if (model.model().config().architecture() == Architecture.ENCODER) {
        throw new IllegalArgumentException(
            "the run trains an encoder (masked language model), which does not generate text");
      }
      String text = SAMPLER.continuation(model, tokenizer, PROMPT, maxTokens);
      return new DashboardHistory.Sample(
          restored.state().step(),
          checkpoint.getFileName().toString(),
          PROMPT,
          text,
          System.currentTimeMillis());
    }
  }
}
