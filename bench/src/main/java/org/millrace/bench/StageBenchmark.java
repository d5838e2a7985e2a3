package org.millrace.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.millrace.processors.Stage;
import org.millrace.processors.StreamsStage;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.kafka.EmbeddedKafkaBroker;
import org.millrace.runtime.topics.TopicBootstrap;

/**
 * The harness every stage benchmark shares: a scratch embedded broker in a temporary folder, and
 * for each run its own topics (prefix {@code <run>.}, one partition), the input produced before the
 * clock starts, then one instance of the stage with one stream thread, timed from RUNNING until a
 * count of its own (a verdict metric, committed offsets) reaches the input's. Closing it deletes
 * the broker and every run's state.
 */
final class StageBenchmark implements AutoCloseable {

  private final Path scratch;
  private final EmbeddedKafkaBroker broker;
  private final Admin admin;

  private StageBenchmark(Path scratch, EmbeddedKafkaBroker broker) {
    this.scratch = scratch;
    this.broker = broker;
    this.admin =
        Admin.create(
            KafkaClientProperties.admin(
                MillraceConfig.of(
                    Map.of(MillraceConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers()))));
  }

  static StageBenchmark start() throws Exception {
    Path scratch = Files.createTempDirectory("millrace-bench");
    return new StageBenchmark(scratch, EmbeddedKafkaBroker.start(scratch.resolve("kafka"), 0));
  }

  /**
   * The configuration of one run: {@code base} on this broker, with topics and state of its own,
   * and commits every 100 ms so that the end of the run is seen within 100 ms of its last record.
   * Creates the run's topics.
   */
  MillraceConfig run(MillraceConfig base, String run, Map<String, String> settings)
      throws InterruptedException {
    Map<String, String> values = new HashMap<>(settings);
    values.put(MillraceConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
    values.put(MillraceConfig.DATA_DIR, scratch.resolve(run).toString());
    values.put(MillraceConfig.TOPICS_PREFIX, run + ".");
    values.put(MillraceConfig.TOPICS_PARTITIONS, "1");
    values.put(MillraceConfig.STREAMS_COMMIT_INTERVAL_MS, "100");
    MillraceConfig config = base.with(values);
    TopicBootstrap.ensureTopics(admin, TopicBootstrap.specifications(config));
    return config;
  }

  /** Writes the records to {@code topic} and waits until the broker has them all. */
  void produce(MillraceConfig config, String topic, List<Map.Entry<byte[], byte[]>> records) {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaClientProperties.producer(config, "bench"))) {
      for (Map.Entry<byte[], byte[]> record : records) {
        producer.send(new ProducerRecord<>(topic, record.getKey(), record.getValue()));
      }
    }
  }

  /**
   * Runs {@code stage} under an application id of this run's, with one stream thread, and times it
   * from RUNNING until {@code progress} reaches {@code target}; {@code measured} then reads what
   * else it needs from the still running stage.
   */
  <T> T time(
      MillraceConfig config,
      Stage stage,
      ToDoubleFunction<StreamsStage> progress,
      double target,
      Measurement<T> measured)
      throws Exception {
    String run = config.getString(MillraceConfig.TOPICS_PREFIX).replace(".", "");
    Stage ours = stage.withApplicationId(run + "-" + stage.applicationId());
    Properties properties = ours.streamsProperties(config);
    properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
    try (StreamsStage running =
        StreamsStage.start(ours.name(), ours.topology(config), properties)) {
      while (running.state() != KafkaStreams.State.RUNNING) {
        Thread.sleep(10);
      }
      long start = System.nanoTime();
      while (progress.applyAsDouble(running) < target) {
        if (running.failed()) {
          throw new IllegalStateException(
              "the " + stage.name() + " stage failed during the benchmark", running.failure());
        }
        Thread.sleep(20);
      }
      return measured.of((System.nanoTime() - start) / 1e9, running, ours.applicationId());
    }
  }

  /**
   * Writes the records to the stage's input topic, then times the stage until it has given a
   * verdict (kept or rejected) on each of them: its {@code verdicts-total} metric, which the clean
   * and the tokenize stages count.
   */
  <T> T timeVerdicts(
      MillraceConfig config,
      Stage stage,
      List<Map.Entry<byte[], byte[]>> records,
      Measurement<T> measured)
      throws Exception {
    produce(config, stage.inputTopic(config), records);
    return time(
        config,
        stage,
        running -> metric(running, null, "verdicts-total", Map.of("stage", stage.name())),
        records.size(),
        measured);
  }

  /** What a benchmark reads from a stage that has just finished its input. */
  @FunctionalInterface
  interface Measurement<T> {
    T of(double seconds, StreamsStage stage, String applicationId) throws Exception;
  }

  /** The sum of a stage's metric of this name (and group, when given), over its tasks. */
  static double metric(StreamsStage stage, String group, String name, Map<String, String> tags) {
    return stage.metrics().values().stream()
        .filter(m -> group == null || m.metricName().group().equals(group))
        .filter(m -> m.metricName().name().equals(name))
        .filter(m -> m.metricName().tags().entrySet().containsAll(tags.entrySet()))
        .mapToDouble(m -> ((Number) m.metricValue()).doubleValue())
        .sum();
  }

  /** Bytes the topic takes in the broker's log: records, their headers and batches, compressed. */
  long logSize(String topic) throws Exception {
    long bytes = 0;
    for (var logDir : admin.describeLogDirs(List.of(1)).allDescriptions().get().get(1).values()) {
      for (var replica : logDir.replicaInfos().entrySet()) {
        if (replica.getKey().topic().equals(topic)) {
          bytes += replica.getValue().size();
        }
      }
    }
    return bytes;
  }

  /** Bytes of the files under a run's folder (its state stores, say). */
  static long folderBytes(Path folder) throws Exception {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum();
    }
  }

  @Override
  public void close() throws Exception {
    admin.close();
    broker.close();
    deleteScratch(scratch);
  }

  /** Deletes a benchmark's scratch folder and everything in it. */
  static void deleteScratch(Path folder) throws java.io.IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
