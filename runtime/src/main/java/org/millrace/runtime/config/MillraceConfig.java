package org.millrace.runtime.config;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every Millrace setting, named once with its type, default and documentation (Kafka's own {@link
 * ConfigDef}), and the values in effect. The keys every process needs (where Kafka is, the topics,
 * the data directory, metrics) are defined here; each module defines its own in a {@link
 * ConfigKeys} ({@code TrainerKeys}, {@code DedupKeys}, {@code CrawlKeys}, ...), and this class
 * composes them. {@link ConfigLoader} reads the values from the configuration file and the
 * environment; {@code docs/configuration.md} lists every key, and a test keeps the two in step.
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

  public static final String STREAMS_COMMIT_INTERVAL_MS = "streams.commit.interval.ms";
  public static final String METRICS_HOST = "metrics.host";
  public static final String METRICS_PORT = "metrics.port";

  private static final long DAY_MS = 24L * 60 * 60 * 1000;

  public static final ConfigDef DEFINITION =
      composed(
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
                      + " Kafka Streams state stores (`streams/`) and checkpoints (`checkpoints/`)."
                      + " A restart with the same directory keeps all of it. Relative paths are"
                      + " resolved against the working directory.")
              .define(
                  BROKER_PORT,
                  Type.INT,
                  9092,
                  between(0, 65535),
                  Importance.MEDIUM,
                  "Port of the embedded broker's client listener on 127.0.0.1; 0 takes a free port"
                      + " (for tests: other commands cannot find it then).")
              // Topics
              .define(
                  TOPICS_PREFIX,
                  Type.STRING,
                  "",
                  Importance.MEDIUM,
                  "Prefix of every Millrace topic name, so that several pipelines can share a"
                      + " cluster (for example `team1.` gives `team1.docs.raw`).")
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
                      + " producers. Must exceed `documents.max.bytes`, so that an oversized"
                      + " document reaches the clean stage and is rejected there with its reason.")
              .define(
                  TOPICS_COMPRESSION_TYPE,
                  Type.STRING,
                  "zstd",
                  ConfigDef.ValidString.in(
                      "uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"),
                  Importance.LOW,
                  "compression.type of the topics and of Millrace's producers (text compresses"
                      + " about 3-4x with zstd).")
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
              // Stream processors
              .define(
                  STREAMS_COMMIT_INTERVAL_MS,
                  Type.LONG,
                  1000L,
                  atLeast(1),
                  Importance.LOW,
                  "commit.interval.ms of the Kafka Streams stages: with exactly_once_v2, how often"
                      + " a transaction commits and output becomes visible downstream.")
              // Metrics
              .define(
                  METRICS_HOST,
                  Type.STRING,
                  "127.0.0.1",
                  Importance.MEDIUM,
                  "Address the Prometheus endpoint (GET /metrics) binds to; 0.0.0.0 to be scraped"
                      + " from other hosts (the docker compose services do).")
              .define(
                  METRICS_PORT,
                  Type.INT,
                  9400,
                  between(-1, 65535),
                  Importance.MEDIUM,
                  "Port of the Prometheus endpoint of every long-running command (up, demo, clean,"
                      + " dedup, tokenize, train); 0 takes a free port, -1 serves none. When the"
                      + " port is taken (two commands on one host), the command says so and runs"
                      + " without it."));

  /**
   * The runtime's own keys, then every module's ({@link ConfigKeys}, found by {@link ServiceLoader}
   * on the class path) in the order the data flows. Two modules defining one key fail here.
   */
  private static ConfigDef composed(ConfigDef runtimeKeys) {
    ServiceLoader.load(ConfigKeys.class).stream()
        .map(ServiceLoader.Provider::get)
        .sorted(Comparator.comparingInt(ConfigKeys::order))
        .forEach(keys -> keys.define(runtimeKeys));
    return runtimeKeys;
  }

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
