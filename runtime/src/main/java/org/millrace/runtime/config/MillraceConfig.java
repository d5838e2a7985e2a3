package org.millrace.runtime.config;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every Millrace setting, named once with its type, default and documentation (Kafka's own {@link
 * ConfigDef}), and the values in effect. {@link ConfigLoader} reads them from the configuration
 * file and the environment; {@code docs/configuration.md} lists them, and a test keeps the two in
 * step.
 *
 * <p>Keys that start with {@value #KAFKA_PREFIX} are passed, without the prefix, to every Kafka
 * client Millrace creates (producers, consumers, admin clients and Kafka Streams), so that any
 * client property (security, timeouts, compression) can be set without Millrace knowing it.
 */
public final class MillraceConfig extends AbstractConfig {

  public static final String KAFKA_PREFIX = "kafka.";

  /**
   * Keys that start with {@value #FILTERS_PREFIX} and are not defined here are the parameters of
   * the quality filters ({@code filters.gopher.quality.min.words}); the filters declare them, and
   * the clean stage checks them when it builds its filter chain (docs/filters.md).
   */
  public static final String FILTERS_PREFIX = "filters.";

  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String DATA_DIR = "data.dir";
  public static final String BROKER_PORT = "broker.port";

  public static final String TOPICS_PREFIX = "topics.prefix";
  public static final String TOPICS_PARTITIONS = "topics.partitions";
  public static final String TOPICS_REPLICATION_FACTOR = "topics.replication.factor";
  public static final String TOPICS_RETENTION_MS = "topics.retention.ms";
  public static final String TOPICS_TOKENS_RETENTION_MS = "topics.tokens.retention.ms";
  public static final String TOPICS_MAX_MESSAGE_BYTES = "topics.max.message.bytes";
  public static final String TOPICS_COMPRESSION_TYPE = "topics.compression.type";

  public static final String DOCUMENTS_MAX_BYTES = "documents.max.bytes";
  public static final String REJECTED_PAYLOAD_MAX_BYTES = "rejected.payload.max.bytes";

  public static final String CLEAN_EXTRACTION_TIMEOUT_MS = "clean.extraction.timeout.ms";
  public static final String FILTERS_CHAIN = "filters.chain";
  public static final String FILTERS_CODE_CHAIN = "filters.code.chain";

  public static final String STREAMS_COMMIT_INTERVAL_MS = "streams.commit.interval.ms";
  public static final String METRICS_HOST = "metrics.host";
  public static final String METRICS_PORT = "metrics.port";
  public static final String DASHBOARD_HOST = "dashboard.host";
  public static final String DASHBOARD_PORT = "dashboard.port";
  public static final String DASHBOARD_SAMPLE_TOKENS = "dashboard.sample.tokens";
  public static final String TOKENIZER_FILE = "tokenizer.file";
  public static final String TOKENIZER_END_OF_TEXT = "tokenizer.end.of.text";
  public static final String TOKENIZE_CHUNK_TOKENS = "tokenize.chunk.tokens";
  public static final String TOKENIZE_VALIDATION_FRACTION = "tokenize.validation.fraction";

  public static final String DEDUP_URL_ENABLED = "dedup.url.enabled";
  public static final String DEDUP_NEAR_ENABLED = "dedup.near.enabled";
  public static final String DEDUP_NEAR_BANDS = "dedup.near.bands";
  public static final String DEDUP_NEAR_ROWS = "dedup.near.rows";
  public static final String DEDUP_NEAR_SHINGLE_WORDS = "dedup.near.shingle.words";
  public static final String DEDUP_NEAR_VERIFY = "dedup.near.verify";
  public static final String DEDUP_NEAR_THRESHOLD = "dedup.near.threshold";
  public static final String DEDUP_NEAR_BUCKET_MAX_MEMBERS = "dedup.near.bucket.max.members";
  public static final String DEDUP_RETENTION_MS = "dedup.retention.ms";

  public static final String TRAINER_RUN_ID = "trainer.run.id";
  public static final String TRAINER_ARCHITECTURE = "trainer.architecture";
  public static final String TRAINER_MODEL = "trainer.model";
  public static final String TRAINER_MASK_TOKEN = "trainer.mask.token";
  public static final String TRAINER_SCHEDULE = "trainer.schedule";
  public static final String TRAINER_DECAY_FRACTION = "trainer.decay.fraction";
  public static final String TRAINER_GRADIENT_ACCUMULATION_STEPS =
      "trainer.gradient.accumulation.steps";
  public static final String TRAINER_BATCH_SIZE = "trainer.batch.size";
  public static final String TRAINER_BLOCK_SIZE = "trainer.block.size";
  public static final String TRAINER_LEARNING_RATE = "trainer.learning.rate";
  public static final String TRAINER_MIN_LEARNING_RATE = "trainer.min.learning.rate";
  public static final String TRAINER_WARMUP_STEPS = "trainer.warmup.steps";
  public static final String TRAINER_DECAY_STEPS = "trainer.decay.steps";
  public static final String TRAINER_WEIGHT_DECAY = "trainer.weight.decay";
  public static final String TRAINER_BETA2 = "trainer.beta2";
  public static final String TRAINER_GRAD_CLIP = "trainer.grad.clip";
  public static final String TRAINER_SEED = "trainer.seed";
  public static final String TRAINER_MAX_STEPS = "trainer.max.steps";
  public static final String TRAINER_PROGRESS_INTERVAL_STEPS = "trainer.progress.interval.steps";
  public static final String TRAINER_CHECKPOINT_INTERVAL_STEPS =
      "trainer.checkpoint.interval.steps";
  public static final String TRAINER_CHECKPOINT_KEEP = "trainer.checkpoint.keep";
  public static final String TRAINER_CHECKPOINT_INTERVAL_MINUTES =
      "trainer.checkpoint.interval.minutes";
  public static final String TRAINER_EVAL_INTERVAL_STEPS = "trainer.eval.interval.steps";
  public static final String TRAINER_EVAL_TOKENS = "trainer.eval.tokens";
  public static final String TRAINER_RETENTION_SKIP = "trainer.retention.skip";
  public static final String TRAINER_PEAK_FLOPS = "trainer.peak.flops";

  public static final String DEMO_CORPUS = "demo.corpus";

  private static final long DAY_MS = 24L * 60 * 60 * 1000;

  public static final ConfigDef DEFINITION =
      new ConfigDef()
          // Where Kafka is
          .define(
              BOOTSTRAP_SERVERS,
              Type.STRING,
              "",
              Importance.HIGH,
              "Kafka bootstrap servers, host:port[,host:port...]. Empty: `millrace up` and"
                  + " `millrace demo` start an embedded single-node KRaft broker on"
                  + " 127.0.0.1:`broker.port`, and the other commands connect to it there.")
          .define(
              DATA_DIR,
              Type.STRING,
              "data",
              Importance.HIGH,
              "Directory for everything Millrace keeps: the embedded broker's logs (`kafka/`),"
                  + " Kafka Streams state stores (`streams/`) and checkpoints (`checkpoints/`). A"
                  + " restart with the same directory keeps all of it. Relative paths are resolved"
                  + " against the working directory.")
          .define(
              BROKER_PORT,
              Type.INT,
              9092,
              between(0, 65535),
              Importance.MEDIUM,
              "Port of the embedded broker's client listener on 127.0.0.1; 0 takes a free port (for"
                  + " tests: other commands cannot find it then).")
          // Topics
          .define(
              TOPICS_PREFIX,
              Type.STRING,
              "",
              Importance.MEDIUM,
              "Prefix of every Millrace topic name, so that several pipelines can share a cluster "
                  + "(for example `team1.` gives `team1.docs.raw`).")
          .define(
              TOPICS_PARTITIONS,
              Type.INT,
              4,
              atLeast(1),
              Importance.MEDIUM,
              "Partitions of each document and token topic when Millrace creates it. The upper"
                  + " bound on the instances of one stage that can work in parallel.")
          .define(
              TOPICS_REPLICATION_FACTOR,
              Type.SHORT,
              (short) 1,
              atLeast(1),
              Importance.MEDIUM,
              "Replication factor of the topics Millrace creates (1 for a single broker; 3 in"
                  + " production).")
          .define(
              TOPICS_RETENTION_MS,
              Type.LONG,
              7 * DAY_MS,
              atLeast(-1),
              Importance.MEDIUM,
              "retention.ms of the document topics (docs.raw, docs.clean, docs.unique,"
                  + " docs.duplicates, docs.rejected); -1 keeps them forever.")
          .define(
              TOPICS_TOKENS_RETENTION_MS,
              Type.LONG,
              -1L,
              atLeast(-1),
              Importance.MEDIUM,
              "retention.ms of the tokens topic. Forever (-1) by default, so that a run can be"
                  + " resumed or reproduced from the log.")
          .define(
              TOPICS_MAX_MESSAGE_BYTES,
              Type.INT,
              32 * 1024 * 1024,
              atLeast(1024 * 1024),
              Importance.LOW,
              "max.message.bytes of the topics Millrace creates, and max.request.size of its"
                  + " producers. Must exceed `documents.max.bytes`, so that an oversized document"
                  + " reaches the clean stage and is rejected there with its reason.")
          .define(
              TOPICS_COMPRESSION_TYPE,
              Type.STRING,
              "zstd",
              ConfigDef.ValidString.in("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"),
              Importance.LOW,
              "compression.type of the topics and of Millrace's producers (text compresses about"
                  + " 3-4x with zstd).")
          // Documents
          .define(
              DOCUMENTS_MAX_BYTES,
              Type.INT,
              8 * 1024 * 1024,
              atLeast(1),
              Importance.MEDIUM,
              "Largest raw document (payload bytes) the clean stage accepts; larger ones are"
                  + " rejected with reason `too_large`.")
          .define(
              REJECTED_PAYLOAD_MAX_BYTES,
              Type.INT,
              64 * 1024,
              atLeast(0),
              Importance.LOW,
              "A rejected record carries at most this many bytes of the original payload (and"
                  + " always its size, topic, partition and offset).")
          // The clean stage
          .define(
              CLEAN_EXTRACTION_TIMEOUT_MS,
              Type.INT,
              1000,
              atLeast(1),
              Importance.LOW,
              "Time budget of the clean stage's extraction and normalisation of one document; a"
                  + " document that needs more is rejected with reason `extraction_timeout`."
                  + " datatrove gives trafilatura one second.")
          .define(
              FILTERS_CHAIN,
              Type.LIST,
              "url,language,gopher_repetition,gopher_quality,c4_quality,fineweb_quality,pii",
              Importance.HIGH,
              "The quality filters a document goes through after extraction, in order; the first"
                  + " that drops it sends it to docs.rejected with its reason. FineWeb's order by"
                  + " default. Empty: keep every document that has text. docs/filters.md lists the"
                  + " filters and their parameters (`filters.<filter>.<parameter>`).")
          .define(
              FILTERS_CODE_CHAIN,
              Type.LIST,
              "code_quality,pii",
              Importance.MEDIUM,
              "The filters for source code (documents with metadata kind=code, from `millrace feed"
                  + " --code` or a git repository): prose filters would drop most code.")
          // Stream processors
          .define(
              STREAMS_COMMIT_INTERVAL_MS,
              Type.LONG,
              1000L,
              atLeast(1),
              Importance.LOW,
              "commit.interval.ms of the Kafka Streams stages: with exactly_once_v2, how often a"
                  + " transaction commits and output becomes visible downstream.")
          // Metrics
          .define(
              METRICS_HOST,
              Type.STRING,
              "127.0.0.1",
              Importance.MEDIUM,
              "Address the Prometheus endpoint (GET /metrics) binds to; 0.0.0.0 to be scraped from"
                  + " other hosts (the docker compose services do).")
          .define(
              METRICS_PORT,
              Type.INT,
              9400,
              between(-1, 65535),
              Importance.MEDIUM,
              "Port of the Prometheus endpoint of every long-running command (up, demo, clean,"
                  + " dedup, tokenize, train); 0 takes a free port, -1 serves none. When the port"
                  + " is taken (two commands on one host), the command says so and runs without"
                  + " it.")
          // Dashboard
          .define(
              DASHBOARD_HOST,
              Type.STRING,
              "127.0.0.1",
              Importance.MEDIUM,
              "Address the dashboard (a web page of loss, lag, throughput, rejects and samples)"
                  + " binds to; 0.0.0.0 to open it from other hosts.")
          .define(
              DASHBOARD_PORT,
              Type.INT,
              9401,
              between(-1, 65535),
              Importance.MEDIUM,
              "Port of the dashboard that up, demo and dashboard serve; 0 takes a free port, -1"
                  + " serves none. When the port is taken, the command says so and runs without"
                  + " it.")
          .define(
              DASHBOARD_SAMPLE_TOKENS,
              Type.INT,
              100,
              atLeast(0),
              Importance.LOW,
              "Tokens the dashboard samples from each new checkpoint of the trainer (when it can"
                  + " read the checkpoint folder), to show what the model writes; 0 samples none.")
          // Deduplication
          .define(
              DEDUP_URL_ENABLED,
              Type.BOOLEAN,
              false,
              Importance.MEDIUM,
              "Also remove a document whose normalised URL (lower-case scheme and host, no default"
                  + " port, fragment or utm_* parameters) was seen before, whatever its text. Off"
                  + " by default: a page fetched twice may have changed, and content dedup catches"
                  + " the copies that did not.")
          .define(
              DEDUP_NEAR_ENABLED,
              Type.BOOLEAN,
              true,
              Importance.MEDIUM,
              "Remove near duplicates found by MinHash locality-sensitive hashing, as FineWeb does."
                  + " Exact duplicates are always removed.")
          .define(
              DEDUP_NEAR_BANDS,
              Type.INT,
              14,
              between(1, 256),
              Importance.LOW,
              "LSH bands b. With r rows, documents of Jaccard similarity s become candidates with"
                  + " probability 1-(1-s^r)^b (docs/dedup.md). FineWeb: 14.")
          .define(
              DEDUP_NEAR_ROWS,
              Type.INT,
              8,
              between(1, 64),
              Importance.LOW,
              "LSH rows per band r; the signature has b·r hashes. FineWeb: 8 (112 hashes, the"
                  + " S-curve's threshold about 0.72).")
          .define(
              DEDUP_NEAR_SHINGLE_WORDS,
              Type.INT,
              5,
              between(1, 32),
              Importance.LOW,
              "Words per shingle (word n-grams whose sets MinHash compares). FineWeb: 5.")
          .define(
              DEDUP_NEAR_VERIFY,
              Type.BOOLEAN,
              true,
              Importance.LOW,
              "Declare a candidate a near duplicate only when the Jaccard similarity estimated from"
                  + " the whole signatures reaches dedup.near.threshold; false: any shared bucket"
                  + " makes a duplicate, as datatrove does.")
          .define(
              DEDUP_NEAR_THRESHOLD,
              Type.DOUBLE,
              0.72,
              between(0.0, 1.0),
              Importance.LOW,
              "The estimated Jaccard similarity a verified candidate must reach.")
          .define(
              DEDUP_NEAR_BUCKET_MAX_MEMBERS,
              Type.INT,
              8,
              between(1, 1024),
              Importance.LOW,
              "Documents an LSH bucket keeps to compare later ones with: the first, and those that"
                  + " met it but did not verify as copies. Bounds the state of a crowded bucket.")
          .define(
              DEDUP_RETENTION_MS,
              Type.LONG,
              -1L,
              atLeast(-1),
              Importance.MEDIUM,
              "How long the dedup stage remembers a URL, text or LSH bucket, by the records'"
                  + " timestamps: -1 forever (global deduplication; the state grows with the"
                  + " corpus, docs/dedup.md gives bytes per document); otherwise a document is"
                  + " compared with those seen in the last dedup.retention.ms.")
          .define(
              TOKENIZER_FILE,
              Type.STRING,
              "",
              Importance.HIGH,
              "The tokenizer of the tokenize stage and the trainer: a Hugging Face tokenizer.json"
                  + " (made by `millrace tokenizer train`, or GPT-2's, Llama's...) or a character"
                  + " tokenizer file from `millrace tokenizer train --type char`. Empty: the"
                  + " byte-level tokenizer (256 byte ids, <|endoftext|>, <|pad|>, <|mask|>). The"
                  + " trainer refuses tokens made by another tokenizer.")
          .define(
              TOKENIZER_END_OF_TEXT,
              Type.STRING,
              "<|endoftext|>",
              Importance.LOW,
              "The token of a Hugging Face tokenizer that ends every document in the token stream"
                  + " (Llama 3: <|end_of_text|>, Llama 2: </s>).")
          .define(
              TOKENIZE_CHUNK_TOKENS,
              Type.INT,
              65536,
              atLeast(16),
              Importance.LOW,
              "Documents longer than this many tokens are cut into several token records, in"
                  + " order.")
          .define(
              TOKENIZE_VALIDATION_FRACTION,
              Type.DOUBLE,
              0.005,
              between(0.0, 1.0),
              Importance.LOW,
              "Fraction of documents, chosen deterministically by document id, marked VALIDATION"
                  + " instead of TRAIN.")
          // Trainer
          .define(
              TRAINER_RUN_ID,
              Type.STRING,
              "default",
              Importance.HIGH,
              "Names the model being trained: checkpoints go to `data.dir/checkpoints/<run id>` and"
                  + " a restart resumes it.")
          .define(
              TRAINER_ARCHITECTURE,
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
              TRAINER_MODEL,
              Type.STRING,
              "tiny",
              ConfigDef.ValidString.in("tiny", "small", "medium", "gpt2", "base"),
              Importance.HIGH,
              "Model preset of the architecture: tiny, small, medium, and gpt2 (GPT-2 small, for"
                  + " gpt) or base (llama2.c's 110M for llama, BERT-base for encoder, about 110M"
                  + " for hybrid);"
                  + " docs/configuration.md gives their sizes.")
          .define(
              TRAINER_MASK_TOKEN,
              Type.STRING,
              "<|mask|>",
              Importance.LOW,
              "The tokenizer's mask token, for the encoder architecture.")
          .define(
              TRAINER_BATCH_SIZE,
              Type.INT,
              8,
              atLeast(1),
              Importance.MEDIUM,
              "Sequences per optimizer step.")
          .define(
              TRAINER_BLOCK_SIZE,
              Type.INT,
              64,
              atLeast(2),
              Importance.MEDIUM,
              "Tokens per sequence (the model's context length); documents are packed end to end,"
                  + " separated by end-of-text.")
          .define(
              TRAINER_LEARNING_RATE,
              Type.DOUBLE,
              1e-3,
              atLeast(0.0),
              Importance.MEDIUM,
              "Peak learning rate (1e-3 as nanoGPT's small character-level models).")
          .define(
              TRAINER_MIN_LEARNING_RATE,
              Type.DOUBLE,
              1e-4,
              atLeast(0.0),
              Importance.LOW,
              "Learning rate at the end of the cosine decay (a tenth of the peak, as in nanoGPT and"
                  + " Chinchilla).")
          .define(
              TRAINER_WARMUP_STEPS,
              Type.INT,
              20,
              atLeast(0),
              Importance.LOW,
              "Steps of linear learning-rate warm-up.")
          .define(
              TRAINER_DECAY_STEPS,
              Type.INT,
              5000,
              atLeast(1),
              Importance.LOW,
              "Step at which the cosine decay reaches `trainer.min.learning.rate`; it stays there"
                  + " afterwards.")
          .define(
              TRAINER_SCHEDULE,
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
              TRAINER_DECAY_FRACTION,
              Type.DOUBLE,
              0.2,
              between(0.0, 1.0),
              Importance.LOW,
              "For the wsd schedule: the final fraction of `trainer.decay.steps` that decays.")
          .define(
              TRAINER_GRADIENT_ACCUMULATION_STEPS,
              Type.INT,
              1,
              atLeast(1),
              Importance.LOW,
              "Micro-batches per optimizer step: the batch's sequences are split into this many"
                  + " parts, each forward and backward on its own, for the memory of a smaller"
                  + " batch with the gradient of the whole one. Must divide `trainer.batch.size`.")
          .define(
              TRAINER_WEIGHT_DECAY,
              Type.DOUBLE,
              0.1,
              atLeast(0.0),
              Importance.LOW,
              "AdamW weight decay, applied to weight matrices only (as GPT-2/nanoGPT).")
          .define(
              TRAINER_BETA2,
              Type.DOUBLE,
              0.95,
              between(0.0, 1.0),
              Importance.LOW,
              "AdamW's beta2 (0.95 as GPT-3 and nanoGPT's GPT-2 runs; nanoGPT's small"
                  + " character-level models use 0.99).")
          .define(
              TRAINER_GRAD_CLIP,
              Type.DOUBLE,
              1.0,
              atLeast(0.0),
              Importance.LOW,
              "Global gradient-norm clipping threshold; 0 disables clipping.")
          .define(
              TRAINER_SEED, Type.LONG, 1337L, Importance.LOW, "Seed of the model's initialisation.")
          .define(
              TRAINER_MAX_STEPS,
              Type.LONG,
              0L,
              atLeast(0),
              Importance.MEDIUM,
              "Stop after this many optimizer steps (counting those of the checkpoint resumed"
                  + " from); 0 trains for as long as tokens arrive.")
          .define(
              TRAINER_PROGRESS_INTERVAL_STEPS,
              Type.INT,
              10,
              atLeast(1),
              Importance.LOW,
              "Publish a progress record (step, loss, tokens/s, stream position) to"
                  + " trainer.progress every this many steps.")
          .define(
              TRAINER_CHECKPOINT_INTERVAL_STEPS,
              Type.INT,
              100,
              atLeast(1),
              Importance.MEDIUM,
              "Write a checkpoint every this many steps, then commit the trainer's consumer"
                  + " offsets.")
          .define(
              TRAINER_CHECKPOINT_KEEP,
              Type.INT,
              3,
              atLeast(1),
              Importance.LOW,
              "How many checkpoints to keep.")
          // Demo
          .define(
              TRAINER_CHECKPOINT_INTERVAL_MINUTES,
              Type.DOUBLE,
              0.0,
              atLeast(0.0),
              Importance.LOW,
              "Also write a checkpoint when this many minutes have passed since the last one; 0: by"
                  + " steps only.")
          .define(
              TRAINER_EVAL_INTERVAL_STEPS,
              Type.INT,
              100,
              atLeast(0),
              Importance.MEDIUM,
              "Evaluate the loss on the fixed validation set every this many steps (and publish it"
                  + " with the progress); 0 never.")
          .define(
              TRAINER_EVAL_TOKENS,
              Type.INT,
              16384,
              atLeast(2),
              Importance.LOW,
              "Size of the fixed validation set: the first this many tokens of the VALIDATION"
                  + " split, read partition by partition from the start of the tokens topic. Until"
                  + " the topic holds that many, the set grows at each evaluation; then it stays"
                  + " fixed.")
          .define(
              TRAINER_RETENTION_SKIP,
              Type.BOOLEAN,
              false,
              Importance.LOW,
              "When retention has deleted token records the trainer has not read: false stops the"
                  + " trainer with a clear error; true goes on without them, logging and counting"
                  + " every record skipped.")
          .define(
              TRAINER_PEAK_FLOPS,
              Type.DOUBLE,
              0.0,
              atLeast(0.0),
              Importance.LOW,
              "Peak FLOP/s of the hardware, for MFU. 0: measured at start-up by timing fp32 matrix"
                  + " multiplications through the engine (printed).")
          .define(
              DEMO_CORPUS,
              Type.STRING,
              "cli/target/demo-corpus",
              Importance.LOW,
              "Files `millrace demo` feeds: by default the HTML pages of the javadoc jars of"
                  + " Millrace's own dependencies, which the build fetches from Maven Central."
                  + " Relative to the Millrace home (the repository root).");

  private final Map<String, String> origins;

  MillraceConfig(Map<String, String> values, Map<String, String> origins) {
    super(DEFINITION, values, false);
    this.origins = Map.copyOf(origins);
  }

  /** The defaults alone, with the given overrides; for tests and embedding. */
  public static MillraceConfig of(Map<String, String> overrides) {
    return ConfigLoader.fromMap(overrides);
  }

  /**
   * This configuration with some values replaced, for example the address of a broker started here.
   */
  public MillraceConfig with(Map<String, String> replacements) {
    Map<String, String> values = new TreeMap<>(originalsStrings());
    Map<String, String> newOrigins = new TreeMap<>(origins);
    replacements.forEach(
        (key, value) -> {
          values.put(key, value);
          newOrigins.put(key, "set by Millrace");
        });
    return ConfigLoader.build(values, newOrigins);
  }

  public boolean hasBootstrapServers() {
    return !getString(BOOTSTRAP_SERVERS).isBlank();
  }

  /** The configured bootstrap servers, or the embedded broker's address when none is configured. */
  public String bootstrapServers() {
    return hasBootstrapServers()
        ? getString(BOOTSTRAP_SERVERS)
        : "127.0.0.1:" + getInt(BROKER_PORT);
  }

  public Path dataDir() {
    return Path.of(getString(DATA_DIR)).toAbsolutePath().normalize();
  }

  /** Kafka client properties given with the {@value #KAFKA_PREFIX} prefix, the prefix removed. */
  public Map<String, Object> kafkaOverrides() {
    return new TreeMap<>(originalsWithPrefix(KAFKA_PREFIX));
  }

  /**
   * The quality filters' parameters: keys under {@value #FILTERS_PREFIX} that are not defined here,
   * with their values as given.
   */
  public Map<String, String> filterParameters() {
    Map<String, String> parameters = new TreeMap<>();
    originalsStrings()
        .forEach(
            (key, value) -> {
              if (key.startsWith(FILTERS_PREFIX) && !DEFINITION.names().contains(key)) {
                parameters.put(key, value);
              }
            });
    return parameters;
  }

  /**
   * Where a key's value came from (a file, an environment variable, a command-line option), or
   * "default".
   */
  public String originOf(String key) {
    return origins.getOrDefault(key, "default");
  }

  /** Fails with a message naming the offending setting and where it came from. */
  ConfigException invalid(String key, String problem) {
    return new ConfigException(key + " (from " + originOf(key) + "): " + problem);
  }

  void checkConsistency() {
    if (getInt(DOCUMENTS_MAX_BYTES) >= getInt(TOPICS_MAX_MESSAGE_BYTES)) {
      throw invalid(
          DOCUMENTS_MAX_BYTES,
          "must be below "
              + TOPICS_MAX_MESSAGE_BYTES
              + " ("
              + getInt(TOPICS_MAX_MESSAGE_BYTES)
              + "), so that an oversized document can still reach the clean stage and be rejected"
              + " there");
    }
  }
}
