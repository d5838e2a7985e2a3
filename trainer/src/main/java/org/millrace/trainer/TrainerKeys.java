package org.millrace.trainer;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.millrace.runtime.config.ConfigKeys;

/**
 * The trainer's configuration keys; {@link TrainerSettings#from} reads them. Composed with every
 * other module's keys into {@link org.millrace.runtime.config.MillraceConfig};
 * docs/configuration.md lists them.
 */
public final class TrainerKeys implements ConfigKeys {

  public static final String RUN_ID = "trainer.run.id";
  public static final String ARCHITECTURE = "trainer.architecture";
  public static final String MODEL = "trainer.model";
  public static final String MODEL_LAYERS = "trainer.model.layers";
  public static final String MODEL_WIDTH = "trainer.model.width";
  public static final String MASK_TOKEN = "trainer.mask.token";
  public static final String BATCH_SIZE = "trainer.batch.size";
  public static final String BLOCK_SIZE = "trainer.block.size";
  public static final String LEARNING_RATE = "trainer.learning.rate";
  public static final String MIN_LEARNING_RATE = "trainer.min.learning.rate";
  public static final String WARMUP_STEPS = "trainer.warmup.steps";
  public static final String DECAY_STEPS = "trainer.decay.steps";
  public static final String SCHEDULE = "trainer.schedule";
  public static final String DECAY_FRACTION = "trainer.decay.fraction";
  public static final String GRADIENT_ACCUMULATION_STEPS = "trainer.gradient.accumulation.steps";
  public static final String WEIGHT_DECAY = "trainer.weight.decay";
  public static final String BETA2 = "trainer.beta2";
  public static final String GRAD_CLIP = "trainer.grad.clip";
  public static final String SEED = "trainer.seed";
  public static final String MAX_STEPS = "trainer.max.steps";
  public static final String PROGRESS_INTERVAL_STEPS = "trainer.progress.interval.steps";
  public static final String CHECKPOINT_INTERVAL_STEPS = "trainer.checkpoint.interval.steps";
  public static final String CHECKPOINT_KEEP = "trainer.checkpoint.keep";
  public static final String CHECKPOINT_INTERVAL_MINUTES = "trainer.checkpoint.interval.minutes";
  public static final String EVAL_INTERVAL_STEPS = "trainer.eval.interval.steps";
  public static final String EVAL_TOKENS = "trainer.eval.tokens";
  public static final String EVAL_TASKS = "trainer.eval.tasks";
  public static final String EVAL_TASKS_INTERVAL_STEPS = "trainer.eval.tasks.interval.steps";
  public static final String EVAL_TASKS_LIMIT = "trainer.eval.tasks.limit";
  public static final String RETENTION_SKIP = "trainer.retention.skip";
  public static final String PEAK_FLOPS = "trainer.peak.flops";
  public static final String DILOCO_WORKERS = "trainer.diloco.workers";
  public static final String DILOCO_WORKER = "trainer.diloco.worker";
  public static final String DILOCO_INNER_STEPS = "trainer.diloco.inner.steps";
  public static final String DILOCO_OUTER_LEARNING_RATE = "trainer.diloco.outer.learning.rate";
  public static final String DILOCO_OUTER_MOMENTUM = "trainer.diloco.outer.momentum";
  public static final String DILOCO_ROUND_TIMEOUT_MS = "trainer.diloco.round.timeout.ms";
  public static final String DILOCO_QUORUM = "trainer.diloco.quorum";
  public static final String DILOCO_ENCODING = "trainer.diloco.encoding";

  @Override
  public int order() {
    return 50;
  }

  @Override
  public void define(ConfigDef definition) {
    definition
        // Trainer
        .define(
            RUN_ID,
            Type.STRING,
            "default",
            Importance.HIGH,
            "Names the model being trained: checkpoints go to `data.dir/checkpoints/<run id>` and"
                + " a restart resumes it.")
        .define(
            ARCHITECTURE,
            Type.STRING,
            "gpt",
            ConfigDef.ValidString.in("gpt", "llama", "encoder", "hybrid"),
            Importance.HIGH,
            "gpt: a GPT-2-style decoder (learned positions, LayerNorm, GELU). llama: a"
                + " Llama-style decoder (rotary positions, RMSNorm, SwiGLU, grouped-query"
                + " attention). encoder: a bidirectional encoder trained by masked language"
                + " modelling (BERT's 15%, 80/10/10), which needs the tokenizer's"
                + " `trainer.mask.token`. hybrid: a Falcon-H1-style decoder whose blocks run"
                + " attention and a Mamba-2 mixer side by side (docs/hybrid.md).")
        .define(
            MODEL,
            Type.STRING,
            "tiny",
            ConfigDef.ValidString.in("tiny", "small", "medium", "gpt2", "base"),
            Importance.HIGH,
            "Model preset of the architecture: tiny, small, medium, and gpt2 (GPT-2 small, for"
                + " gpt) or base (llama2.c's 110M for llama, BERT-base for encoder, about 110M"
                + " for hybrid);"
                + " docs/configuration.md gives their sizes.")
        .define(
            MODEL_LAYERS,
            Type.INT,
            0,
            atLeast(0),
            Importance.LOW,
            "Number of blocks, over the preset's (gpt only; `millrace sweep` sets it for each"
                + " model size); 0: the preset's.")
        .define(
            MODEL_WIDTH,
            Type.INT,
            0,
            atLeast(0),
            Importance.LOW,
            "Width of the residual stream, over the preset's (gpt only), with the preset's head"
                + " size, so it must be a multiple of it (32 for tiny and small, 64 for medium and"
                + " gpt2); 0: the preset's.")
        .define(
            MASK_TOKEN,
            Type.STRING,
            "<|mask|>",
            Importance.LOW,
            "The tokenizer's mask token, for the encoder architecture.")
        .define(
            BATCH_SIZE, Type.INT, 8, atLeast(1), Importance.MEDIUM, "Sequences per optimizer step.")
        .define(
            BLOCK_SIZE,
            Type.INT,
            64,
            atLeast(2),
            Importance.MEDIUM,
            "Tokens per sequence (the model's context length); documents are packed end to end,"
                + " separated by end-of-text.")
        .define(
            LEARNING_RATE,
            Type.DOUBLE,
            1e-3,
            atLeast(0.0),
            Importance.MEDIUM,
            "Peak learning rate (1e-3 as nanoGPT's small character-level models).")
        .define(
            MIN_LEARNING_RATE,
            Type.DOUBLE,
            1e-4,
            atLeast(0.0),
            Importance.LOW,
            "Learning rate at the end of the cosine decay (a tenth of the peak, as in nanoGPT and"
                + " Chinchilla).")
        .define(
            WARMUP_STEPS,
            Type.INT,
            20,
            atLeast(0),
            Importance.LOW,
            "Steps of linear learning-rate warm-up.")
        .define(
            DECAY_STEPS,
            Type.INT,
            5000,
            atLeast(1),
            Importance.LOW,
            "Step at which the cosine decay reaches `trainer.min.learning.rate`; it stays there"
                + " afterwards.")
        .define(
            SCHEDULE,
            Type.STRING,
            "cosine",
            ConfigDef.ValidString.in("cosine", "constant", "wsd"),
            Importance.LOW,
            "Learning-rate schedule after the warm-up: cosine decay to"
                + " `trainer.min.learning.rate` at `trainer.decay.steps` (GPT-3, nanoGPT);"
                + " constant; or wsd, warm-up-stable-decay (Hu et al. 2024, MiniCPM): constant"
                + " until the last `trainer.decay.fraction` of `trainer.decay.steps`, then linear"
                + " to the minimum.")
        .define(
            DECAY_FRACTION,
            Type.DOUBLE,
            0.2,
            between(0.0, 1.0),
            Importance.LOW,
            "For the wsd schedule: the final fraction of `trainer.decay.steps` that decays.")
        .define(
            GRADIENT_ACCUMULATION_STEPS,
            Type.INT,
            1,
            atLeast(1),
            Importance.LOW,
            "Micro-batches per optimizer step: the batch's sequences are split into this many"
                + " parts, each forward and backward on its own, for the memory of a smaller"
                + " batch with the gradient of the whole one. Must divide `trainer.batch.size`.")
        .define(
            WEIGHT_DECAY,
            Type.DOUBLE,
            0.1,
            atLeast(0.0),
            Importance.LOW,
            "AdamW weight decay, applied to weight matrices only (as GPT-2/nanoGPT).")
        .define(
            BETA2,
            Type.DOUBLE,
            0.95,
            between(0.0, 1.0),
            Importance.LOW,
            "AdamW's beta2 (0.95 as GPT-3 and nanoGPT's GPT-2 runs; nanoGPT's small"
                + " character-level models use 0.99).")
        .define(
            GRAD_CLIP,
            Type.DOUBLE,
            1.0,
            atLeast(0.0),
            Importance.LOW,
            "Global gradient-norm clipping threshold; 0 disables clipping.")
        .define(SEED, Type.LONG, 1337L, Importance.LOW, "Seed of the model's initialisation.")
        .define(
            MAX_STEPS,
            Type.LONG,
            0L,
            atLeast(0),
            Importance.MEDIUM,
            "Stop after this many optimizer steps (counting those of the checkpoint resumed"
                + " from); 0 trains for as long as tokens arrive.")
        .define(
            PROGRESS_INTERVAL_STEPS,
            Type.INT,
            10,
            atLeast(1),
            Importance.LOW,
            "Publish a progress record (step, loss, tokens/s, stream position) to"
                + " trainer.progress every this many steps.")
        .define(
            CHECKPOINT_INTERVAL_STEPS,
            Type.INT,
            100,
            atLeast(1),
            Importance.MEDIUM,
            "Write a checkpoint every this many steps, then commit the trainer's consumer"
                + " offsets.")
        .define(
            CHECKPOINT_KEEP,
            Type.INT,
            3,
            atLeast(1),
            Importance.LOW,
            "How many checkpoints to keep.")
        // Demo
        .define(
            CHECKPOINT_INTERVAL_MINUTES,
            Type.DOUBLE,
            0.0,
            atLeast(0.0),
            Importance.LOW,
            "Also write a checkpoint when this many minutes have passed since the last one; 0: by"
                + " steps only.")
        .define(
            EVAL_INTERVAL_STEPS,
            Type.INT,
            100,
            atLeast(0),
            Importance.MEDIUM,
            "Evaluate the loss on the fixed validation set every this many steps (and publish it"
                + " with the progress); 0 never.")
        .define(
            EVAL_TOKENS,
            Type.INT,
            16384,
            atLeast(2),
            Importance.LOW,
            "Size of the fixed validation set: the first this many tokens of the VALIDATION"
                + " split, read partition by partition from the start of the tokens topic. Until"
                + " the topic holds that many, the set grows at each evaluation; then it stays"
                + " fixed.")
        .define(
            EVAL_TASKS,
            Type.LIST,
            "",
            Importance.MEDIUM,
            "Benchmark tasks to score during training, comma-separated: shipped tasks by name"
                + " (shakespeare-cloze, agreement-pairs) or JSONL task files (docs/evaluation.md);"
                + " their accuracies go with the progress, to the metrics and the dashboard. Empty:"
                + " none.")
        .define(
            EVAL_TASKS_INTERVAL_STEPS,
            Type.INT,
            0,
            atLeast(0),
            Importance.LOW,
            "Score trainer.eval.tasks every this many steps; 0: whenever the validation loss is"
                + " evaluated (trainer.eval.interval.steps).")
        .define(
            EVAL_TASKS_LIMIT,
            Type.INT,
            0,
            atLeast(0),
            Importance.LOW,
            "Score only the first this many examples of each of trainer.eval.tasks, to bound the"
                + " time taken from training; 0: every example.")
        .define(
            RETENTION_SKIP,
            Type.BOOLEAN,
            false,
            Importance.LOW,
            "When retention has deleted token records the trainer has not read: false stops the"
                + " trainer with a clear error; true goes on without them, logging and counting"
                + " every record skipped.")
        .define(
            PEAK_FLOPS,
            Type.DOUBLE,
            0.0,
            atLeast(0.0),
            Importance.LOW,
            "Peak FLOP/s of the hardware, for MFU. 0: measured at start-up by timing fp32 matrix"
                + " multiplications through the engine (printed).")
        // Several trainers of one model (DiLoCo, docs/operations.md)
        .define(
            DILOCO_WORKERS,
            Type.INT,
            1,
            atLeast(1),
            Importance.MEDIUM,
            "K, the trainers of one run that train the model together by DiLoCo (Douillard et al."
                + " 2023), exchanging pseudo-gradients through the trainer.sync topic; at most the"
                + " token topic's partitions. 1: a single trainer, no outer steps.")
        .define(
            DILOCO_WORKER,
            Type.INT,
            0,
            atLeast(0),
            Importance.MEDIUM,
            "I, this trainer's index among the trainer.diloco.workers, 0 to K-1: it trains on the"
                + " token topic's partitions p with p mod K = I and checkpoints to"
                + " `data.dir/checkpoints/<run id>/worker-<I>`.")
        .define(
            DILOCO_INNER_STEPS,
            Type.INT,
            500,
            atLeast(1),
            Importance.MEDIUM,
            "H, the AdamW steps each worker takes on its own data between two outer steps"
                + " (DiLoCo's 500).")
        .define(
            DILOCO_OUTER_LEARNING_RATE,
            Type.DOUBLE,
            0.7,
            atLeast(0.0),
            Importance.LOW,
            "Learning rate of the outer Nesterov SGD on the mean pseudo-gradient (DiLoCo's 0.7);"
                + " 1 with `trainer.diloco.outer.momentum` 0 averages the workers' parameters.")
        .define(
            DILOCO_OUTER_MOMENTUM,
            Type.DOUBLE,
            0.9,
            between(0.0, 0.999),
            Importance.LOW,
            "Nesterov momentum of the outer SGD (DiLoCo's 0.9).")
        .define(
            DILOCO_ROUND_TIMEOUT_MS,
            Type.LONG,
            300_000L,
            atLeast(1),
            Importance.LOW,
            "How long a worker that has sent its round's pseudo-gradient waits for the others;"
                + " then it closes the round with the contributions present, if at least"
                + " `trainer.diloco.quorum`.")
        .define(
            DILOCO_QUORUM,
            Type.INT,
            1,
            atLeast(1),
            Importance.LOW,
            "The fewest contributions a round closes with once `trainer.diloco.round.timeout.ms`"
                + " has passed; at most trainer.diloco.workers.")
        .define(
            DILOCO_ENCODING,
            Type.STRING,
            "fp32",
            ConfigDef.ValidString.in("fp32", "fp16"),
            Importance.LOW,
            "How a worker sends its pseudo-gradients: fp32, or fp16 for half the bytes (as"
                + " OpenDiLoCo); every worker averages the values as read back from the topic.");
  }
}
