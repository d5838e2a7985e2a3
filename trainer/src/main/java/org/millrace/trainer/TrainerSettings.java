package org.millrace.trainer;

import java.nio.file.Path;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.tokenizer.Tokenizer;
import org.millrace.trainer.diloco.DilocoSettings;
import org.millrace.trainer.diloco.PseudoGradientEncoding;
import org.millrace.trainer.model.Architecture;
import org.millrace.trainer.model.GptConfig;
import org.millrace.trainer.model.ModelConfig;
import org.millrace.trainer.optim.AdamWConfig;
import org.millrace.trainer.optim.LearningRateSchedule;
import org.millrace.trainer.optim.OptimizerConfig;

/**
 * The trainer's settings, read once from the configuration (docs/configuration.md names each key).
 */
public record TrainerSettings(
    String runId,
    ModelConfig model,
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
    TaskEvaluationSettings taskEvaluation,
    boolean retentionSkip,
    double peakFlops,
    int rejectedPayloadMaxBytes,
    DilocoSettings diloco) {

  /** The settings of the configured run, for a model over this tokenizer's vocabulary. */
  public static TrainerSettings from(MillraceConfig config, Tokenizer tokenizer) {
    String runId = config.getString(TrainerKeys.RUN_ID);
    if (!runId.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          TrainerKeys.RUN_ID + " must be letters, digits, '.', '_' or '-', got '" + runId + "'");
    }
    Architecture architecture = Architecture.of(config.getString(TrainerKeys.ARCHITECTURE));
    String presetName = config.getString(TrainerKeys.MODEL);
    if (!architecture.presets().contains(presetName)) {
      throw new IllegalArgumentException(
          TrainerKeys.MODEL
              + " '"
              + presetName
              + "' is not a preset of the "
              + architecture.id()
              + " architecture; its presets are "
              + architecture.presets());
    }
    int maskTokenId = -1;
    if (architecture == Architecture.ENCODER) {
      String maskToken = config.getString(TrainerKeys.MASK_TOKEN);
      maskTokenId =
          tokenizer
              .specialTokenId(maskToken)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "the encoder architecture masks tokens with "
                              + maskToken
                              + ", which "
                              + tokenizer
                              + " does not have: set trainer.mask.token, or train a tokenizer with"
                              + " it (--special-tokens)"));
    }
    ModelConfig model =
        resized(
            architecture
                .preset(presetName, tokenizer.vocabularySize(), maskTokenId)
                .withBlockSize(config.getInt(TrainerKeys.BLOCK_SIZE)),
            config.getInt(TrainerKeys.MODEL_LAYERS),
            config.getInt(TrainerKeys.MODEL_WIDTH));
    int batchSize = config.getInt(TrainerKeys.BATCH_SIZE);
    int accumulation = config.getInt(TrainerKeys.GRADIENT_ACCUMULATION_STEPS);
    if (batchSize % accumulation != 0) {
      throw new IllegalArgumentException(
          TrainerKeys.GRADIENT_ACCUMULATION_STEPS
              + " ("
              + accumulation
              + ") must divide "
              + TrainerKeys.BATCH_SIZE
              + " ("
              + batchSize
              + ")");
    }
    AdamWConfig gpt3 = AdamWConfig.gpt3();
    OptimizerConfig optimization =
        new OptimizerConfig(
            new AdamWConfig(
                gpt3.beta1(),
                config.getDouble(TrainerKeys.BETA2),
                gpt3.epsilon(),
                config.getDouble(TrainerKeys.WEIGHT_DECAY)),
            schedule(config),
            gradientClip(config),
            accumulation);
    DilocoSettings diloco = diloco(config);
    Path checkpoints = config.dataDir().resolve("checkpoints").resolve(runId);
    return new TrainerSettings(
        runId,
        model,
        optimization,
        batchSize,
        (int) config.getLong(TrainerKeys.SEED).longValue(),
        config.getLong(TrainerKeys.MAX_STEPS),
        config.getInt(TrainerKeys.PROGRESS_INTERVAL_STEPS),
        config.getInt(TrainerKeys.CHECKPOINT_INTERVAL_STEPS),
        config.getInt(TrainerKeys.CHECKPOINT_KEEP),
        config.getDouble(TrainerKeys.CHECKPOINT_INTERVAL_MINUTES),
        diloco.enabled() ? checkpoints.resolve("worker-" + diloco.worker()) : checkpoints,
        config.getInt(TrainerKeys.EVAL_INTERVAL_STEPS),
        config.getInt(TrainerKeys.EVAL_TOKENS),
        new TaskEvaluationSettings(
            config.getList(TrainerKeys.EVAL_TASKS),
            config.getInt(TrainerKeys.EVAL_TASKS_INTERVAL_STEPS) > 0
                ? config.getInt(TrainerKeys.EVAL_TASKS_INTERVAL_STEPS)
                : config.getInt(TrainerKeys.EVAL_INTERVAL_STEPS),
            config.getInt(TrainerKeys.EVAL_TASKS_LIMIT)),
        config.getBoolean(TrainerKeys.RETENTION_SKIP),
        config.getDouble(TrainerKeys.PEAK_FLOPS),
        config.getInt(MillraceConfig.REJECTED_PAYLOAD_MAX_BYTES),
        diloco);
  }

  private static DilocoSettings diloco(MillraceConfig config) {
    int workers = config.getInt(TrainerKeys.DILOCO_WORKERS);
    int worker = config.getInt(TrainerKeys.DILOCO_WORKER);
    int quorum = config.getInt(TrainerKeys.DILOCO_QUORUM);
    if (worker >= workers) {
      throw new IllegalArgumentException(
          TrainerKeys.DILOCO_WORKER
              + " is "
              + worker
              + ", but "
              + TrainerKeys.DILOCO_WORKERS
              + " is "
              + workers
              + ": the workers are numbered 0 to "
              + (workers - 1));
    }
    if (quorum > workers) {
      throw new IllegalArgumentException(
          TrainerKeys.DILOCO_QUORUM
              + " is "
              + quorum
              + ", more than the "
              + workers
              + " workers of "
              + TrainerKeys.DILOCO_WORKERS);
    }
    if (workers > 1 && !(config.getDouble(TrainerKeys.DILOCO_OUTER_LEARNING_RATE) > 0)) {
      throw new IllegalArgumentException(
          TrainerKeys.DILOCO_OUTER_LEARNING_RATE
              + " must be above 0: the outer step would not move");
    }
    return new DilocoSettings(
        workers,
        worker,
        config.getInt(TrainerKeys.DILOCO_INNER_STEPS),
        config.getDouble(TrainerKeys.DILOCO_OUTER_LEARNING_RATE),
        config.getDouble(TrainerKeys.DILOCO_OUTER_MOMENTUM),
        java.time.Duration.ofMillis(config.getLong(TrainerKeys.DILOCO_ROUND_TIMEOUT_MS)),
        quorum,
        PseudoGradientEncoding.of(config.getString(TrainerKeys.DILOCO_ENCODING)));
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

  /**
   * The preset with {@code layers} blocks and a residual stream {@code width} wide (0: the
   * preset's), its heads as wide as the preset's: how a sweep varies the model's size.
   */
  private static ModelConfig resized(ModelConfig preset, int layers, int width) {
    if (layers == 0 && width == 0) {
      return preset;
    }
    if (!(preset instanceof GptConfig gpt)) {
      throw new IllegalArgumentException(
          TrainerKeys.MODEL_LAYERS
              + " and "
              + TrainerKeys.MODEL_WIDTH
              + " apply to the gpt architecture only, not "
              + preset.architecture().id());
    }
    int newWidth = width == 0 ? gpt.embeddingDim() : width;
    if (newWidth % gpt.headDim() != 0) {
      throw new IllegalArgumentException(
          TrainerKeys.MODEL_WIDTH
              + " "
              + newWidth
              + " is not a multiple of the preset's head size, "
              + gpt.headDim());
    }
    return new GptConfig(
        gpt.vocabSize(),
        gpt.blockSize(),
        layers == 0 ? gpt.layers() : layers,
        newWidth / gpt.headDim(),
        newWidth,
        gpt.tiedEmbeddings());
  }

  private static LearningRateSchedule schedule(MillraceConfig config) {
    double maxLr = config.getDouble(TrainerKeys.LEARNING_RATE);
    double minLr = config.getDouble(TrainerKeys.MIN_LEARNING_RATE);
    int warmup = config.getInt(TrainerKeys.WARMUP_STEPS);
    int decay = config.getInt(TrainerKeys.DECAY_STEPS);
    return switch (config.getString(TrainerKeys.SCHEDULE)) {
      case "constant" -> LearningRateSchedule.constant(maxLr, warmup);
      case "wsd" ->
          LearningRateSchedule.warmupStableDecay(
              maxLr, minLr, warmup, decay, config.getDouble(TrainerKeys.DECAY_FRACTION));
      default -> LearningRateSchedule.cosine(maxLr, minLr, warmup, decay);
    };
  }

  private static float gradientClip(MillraceConfig config) {
    double clip = config.getDouble(TrainerKeys.GRAD_CLIP);
    return clip == 0 ? Float.POSITIVE_INFINITY : (float) clip;
  }
}
