package org.millrace.cli.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.tokenizer.Tokenizer;
import org.millrace.tokenizer.TokenizerKeys;
import org.millrace.trainer.TrainerSettings;
import org.millrace.trainer.checkpoint.CheckpointStore;
import picocli.CommandLine.Option;

/**
 * {@code --checkpoint}: a checkpoint folder, a run's folder (its latest), or the configured run's
 * latest.
 */
public final class CheckpointOptions {

  /**
   * A tokenizer file kept beside a checkpoint's own files ({@code millrace bench shakespeare-char
   * --keep-checkpoint} writes one), which the checkpoint is read with.
   */
  public static final String TOKENIZER_FILE = "tokenizer.json";

  @Option(
      names = "--checkpoint",
      paramLabel = "DIR",
      description =
          "A checkpoint (step-N folder) or a run's folder (its latest); default: the latest of"
              + " trainer.run.id. A tokenizer.json in the folder is the tokenizer it is read"
              + " with.")
  public Path checkpoint;

  /**
   * The configuration with {@code tokenizer.file} set to the {@link #TOKENIZER_FILE} of the {@code
   * --checkpoint} folder, when it holds one; else {@code config} as it is.
   */
  public MillraceConfig withTokenizerBeside(MillraceConfig config) {
    if (checkpoint == null || !Files.isRegularFile(checkpoint.resolve(TOKENIZER_FILE))) {
      return config;
    }
    return config.with(Map.of(TokenizerKeys.FILE, checkpoint.resolve(TOKENIZER_FILE).toString()));
  }

  /** The checkpoint read back, checked against the tokenizer it must have been trained with. */
  public CheckpointStore.Restored restore(MillraceConfig config, Tokenizer tokenizer)
      throws Exception {
    TrainerSettings settings = TrainerSettings.from(config, tokenizer);
    Path folder = checkpoint == null ? settings.checkpointDirectory() : checkpoint;
    CheckpointStore store = new CheckpointStore(folder, 1);
    Path chosen =
        Files.isRegularFile(folder.resolve(CheckpointStore.STATE_FILE))
            ? folder
            : store
                .latest()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "no checkpoint in " + folder.toAbsolutePath()));
    CheckpointStore.Restored restored = store.restore(chosen, settings.optimization());
    if (!restored.state().tokenizerFingerprint().equals(tokenizer.fingerprint())) {
      restored.model().close();
      throw new IllegalArgumentException(
          "checkpoint "
              + chosen
              + " was trained with tokenizer "
              + restored.state().tokenizerFingerprint()
              + ", not "
              + tokenizer
              + ": set tokenizer.file to its tokenizer");
    }
    return restored;
  }
}
