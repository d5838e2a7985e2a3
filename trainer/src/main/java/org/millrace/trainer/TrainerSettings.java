package org.millrace.trainer;

import java.nio.file.Path;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.trainer.model.GptConfig;
import org.millrace.trainer.optim.AdamWConfig;
import org.millrace.trainer.optim.LearningRateSchedule;
import org.millrace.trainer.optim.OptimizerConfig;

/**
 * The trainer's settings, read once from the configuration (docs/configuration.md names each key).
 */
public record TrainerSettings(
    String runId,
    GptConfig model,
    OptimizerConfig optimization,
    int batchSize,
    int seed,
    long maxSteps,
    int progressIntervalSteps,
    int checkpointIntervalSteps,
    int checkpointKeep,
    double checkpointIntervalMinutes,
    Path checkpointDirectory,
    int evalIntervalSteps,
    int evalTokens,
    boolean retentionSkip,
    double peakFlops,
    int rejectedPayloadMaxBytes) {

  public static TrainerSettings of(MillraceConfig config, int vocabularySize) {
    String runId = config.getString(MillraceConfig.TRAINER_RUN_ID);
    if (!runId.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          MillraceConfig.TRAINER_RUN_ID
              + " must be letters, digits, '.', '_' or '-', got '"
              + runId
              + "'");
    }
    GptConfig preset =
        switch (config.getString(MillraceConfig.TRAINER_MODEL)) {
          case "small" -> GptConfig.small(vocabularySize);
          default -> GptConfig.tiny(vocabularySize);
        };
    GptConfig model =
        new GptConfig(
            vocabularySize,
            config.getInt(MillraceConfig.TRAINER_BLOCK_SIZE),
            preset.layers(),
            preset.heads(),
            preset.embeddingDim(),
            preset.tiedEmbeddings());
    AdamWConfig gpt3 = AdamWConfig.gpt3();
    OptimizerConfig optimization =
        new OptimizerConfig(
            new AdamWConfig(
                gpt3.beta1(),
                gpt3.beta2(),
                gpt3.epsilon(),
                config.getDouble(MillraceConfig.TRAINER_WEIGHT_DECAY)),
            new LearningRateSchedule(
                config.getDouble(MillraceConfig.TRAINER_LEARNING_RATE),
                config.getDouble(MillraceConfig.TRAINER_MIN_LEARNING_RATE),
                config.getInt(MillraceConfig.TRAINER_WARMUP_STEPS),
                config.getInt(MillraceConfig.TRAINER_DECAY_STEPS)),
            gradientClip(config));
    return new TrainerSettings(
        runId,
        model,
        optimization,
        config.getInt(MillraceConfig.TRAINER_BATCH_SIZE),
        (int) config.getLong(MillraceConfig.TRAINER_SEED).longValue(),
        config.getLong(MillraceConfig.TRAINER_MAX_STEPS),
        config.getInt(MillraceConfig.TRAINER_PROGRESS_INTERVAL_STEPS),
        config.getInt(MillraceConfig.TRAINER_CHECKPOINT_INTERVAL_STEPS),
        config.getInt(MillraceConfig.TRAINER_CHECKPOINT_KEEP),
        config.getDouble(MillraceConfig.TRAINER_CHECKPOINT_INTERVAL_MINUTES),
        config.dataDir().resolve("checkpoints").resolve(runId),
        config.getInt(MillraceConfig.TRAINER_EVAL_INTERVAL_STEPS),
        config.getInt(MillraceConfig.TRAINER_EVAL_TOKENS),
        config.getBoolean(MillraceConfig.TRAINER_RETENTION_SKIP),
        config.getDouble(MillraceConfig.TRAINER_PEAK_FLOPS),
        config.getInt(MillraceConfig.REJECTED_PAYLOAD_MAX_BYTES));
  }

  /**
   * The trainer's consumer group: its committed offsets are the checkpointed position, its lag the
   * untrained tokens.
   */
  public String consumerGroup() {
    return groupOf(runId);
  }

  public static String groupOf(String runId) {
    return "millrace-trainer-" + runId;
  }

  private static float gradientClip(MillraceConfig config) {
    double clip = config.getDouble(MillraceConfig.TRAINER_GRAD_CLIP);
    return clip == 0 ? Float.POSITIVE_INFINITY : (float) clip;
  }
}
