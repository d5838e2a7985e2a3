package org.millrace.cli.local;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.millrace.cli.dashboard.Dashboard;
import org.millrace.processors.Stage;
import org.millrace.processors.Stages;
import org.millrace.processors.StreamsStage;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.kafka.EmbeddedKafkaBroker;
import org.millrace.runtime.lag.LagMetrics;
import org.millrace.runtime.metrics.MetricsEndpoint;
import org.millrace.runtime.topics.TopicBootstrap;
import org.millrace.tokenizer.Tokenizers;
import org.millrace.trainer.ContinuousTrainer;
import org.millrace.trainer.TrainerClients;
import org.millrace.trainer.TrainerKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every stage in one process, as {@code millrace up} runs them: the embedded broker (unless
 * bootstrap servers are configured), the topics, the clean, dedup and tokenize Streams
 * applications, the trainer on its own thread, and the dashboard. Closing stops them in the reverse
 * order.
 */
public final class LocalPipeline implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalPipeline.class);

  private final MillraceConfig config;
  private final EmbeddedKafkaBroker broker;
  private final List<StreamsStage> stages = new ArrayList<>();
  private ContinuousTrainer trainer;
  private Thread trainerThread;
  private volatile Throwable trainerFailure;
  private boolean closed;
  private Optional<MetricsEndpoint> metrics = Optional.empty();
  private Optional<Dashboard> dashboard = Optional.empty();

  private LocalPipeline(MillraceConfig config, EmbeddedKafkaBroker broker) {
    this.config = config;
    this.broker = broker;
  }

  public static LocalPipeline start(MillraceConfig configured, boolean withTrainer)
      throws IOException, InterruptedException {
    EmbeddedKafkaBroker broker = null;
    MillraceConfig config = configured;
    if (!configured.hasBootstrapServers()) {
      broker =
          EmbeddedKafkaBroker.start(
              configured.dataDir().resolve("kafka"), configured.getInt(MillraceConfig.BROKER_PORT));
      config = configured.with(Map.of(MillraceConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers()));
    }
    LocalPipeline pipeline = new LocalPipeline(config, broker);
    try {
      pipeline.startStages(withTrainer);
    } catch (IOException | InterruptedException | RuntimeException e) {
      pipeline.close();
      throw e;
    }
    return pipeline;
  }

  private void startStages(boolean withTrainer) throws IOException, InterruptedException {
    ensureTopics(config);
    metrics = MetricsEndpoint.start(config);
    for (Stage stage : Stages.ALL) {
      stages.add(stage.start(config));
    }
    metrics.ifPresent(endpoint -> stages.forEach(stage -> stage.bindMetrics(endpoint.registry())));
    List<LagMetrics.Watched> watched = new ArrayList<>();
    for (Stage stage : Stages.ALL) {
      watched.add(new LagMetrics.Watched(stage.applicationId(), stage.inputTopic(config)));
    }
    if (withTrainer) {
      trainer = TrainerClients.connect(config, Tokenizers.load(config));
      watched.add(TrainerMeters.lagOf(config, trainer));
      metrics.ifPresent(
          endpoint ->
              TrainerMeters.bind(
                  endpoint.registry(), trainer, config.getString(TrainerKeys.RUN_ID)));
      trainerThread = new Thread(this::train, "millrace-trainer");
      trainerThread.start();
    }
    metrics.ifPresent(endpoint -> endpoint.watchLag(config, watched));
    dashboard = Dashboard.start(config);
  }

  public static void ensureTopics(MillraceConfig config) throws InterruptedException {
    try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
      TopicBootstrap.ensureTopics(admin, TopicBootstrap.specifications(config));
    }
  }

  private void train() {
    try {
      trainer.run();
    } catch (Throwable e) {
      trainerFailure = e;
      log.error("The trainer stopped: {}", e.getMessage(), e);
    }
  }

  /**
   * The configuration the stages run with (bootstrap servers set to the embedded broker's, if one
   * runs).
   */
  public MillraceConfig config() {
    return config;
  }

  public String bootstrapServers() {
    return config.bootstrapServers();
  }

  /** A stage or the trainer that stopped by itself, with why, if any. */
  public Optional<String> failure() {
    for (StreamsStage stage : stages) {
      if (stage.failed()) {
        return Optional.of(
            "stage "
                + stage.name()
                + " failed: "
                + (stage.failure() == null ? stage.state() : stage.failure().getMessage()));
      }
    }
    if (trainerFailure != null) {
      return Optional.of("the trainer failed: " + trainerFailure.getMessage());
    }
    return Optional.empty();
  }

  /** The port of the Prometheus endpoint, when one is served. */
  public Optional<Integer> metricsPort() {
    return metrics.map(MetricsEndpoint::port);
  }

  /** The address of the dashboard, when one is served. */
  public Optional<String> dashboardUrl() {
    return dashboard.map(Dashboard::url);
  }

  /** Whether the trainer has finished (it reached trainer.max.steps) or never ran. */
  public boolean trainerDone() {
    return trainerThread == null || !trainerThread.isAlive();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    dashboard.ifPresent(Dashboard::close);
    if (trainer != null) {
      trainer.stop();
      try {
        trainerThread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      trainer.close();
    }
    for (int i = stages.size() - 1; i >= 0; i--) {
      stages.get(i).close();
    }
    metrics.ifPresent(MetricsEndpoint::close);
    if (broker != null) {
      broker.close();
    }
  }
}
