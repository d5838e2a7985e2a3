package org.millrace.cli.dashboard;

import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.millrace.cli.status.StatusReader;
import org.millrace.cli.status.StatusWindow;
import org.millrace.processors.tokenize.TokenizeKeys;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.trainer.TrainerKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard: a web page of the loss curves, tokens/s, lag and throughput per stage, rejects by
 * reason and samples from the latest checkpoint, on {@code dashboard.host:dashboard.port}. It reads
 * everything from Kafka (and the checkpoint folder), so {@code up} and {@code demo} serve it beside
 * the pipeline and {@code millrace dashboard} serves it alone against any cluster.
 *
 * <p>Two daemon threads feed its {@link DashboardHistory}: one reads a status report and the new
 * records of trainer.progress and docs.rejected every {@link #STATUS_INTERVAL}; the other samples
 * each new checkpoint, on its own so that loading a model never delays the charts.
 */
public final class Dashboard implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Dashboard.class);

  /**
   * How often the cluster is read: a status report costs an admin client and a pass over the
   * progress topic, as {@code millrace status} does.
   */
  public static final Duration STATUS_INTERVAL = Duration.ofSeconds(5);

  public static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

  private final String host;
  private final DashboardServer server;
  private final ScheduledExecutorService statusThread = daemon("millrace-dashboard-status");
  private final ScheduledExecutorService sampleThread = daemon("millrace-dashboard-samples");
  private final DashboardTopicReader topicReader;

  private Dashboard(String host, DashboardServer server, DashboardTopicReader topicReader) {
    this.host = host;
    this.server = server;
    this.topicReader = topicReader;
  }

  /**
   * Starts the dashboard the configuration asks for, or none: when {@code dashboard.port} is -1, or
   * when the port is taken, which is logged as a warning (a dashboard must not stop the pipeline).
   */
  public static Optional<Dashboard> start(MillraceConfig config) throws IOException {
    int port = config.getInt(DashboardKeys.PORT);
    if (port < 0) {
      return Optional.empty();
    }
    String host = config.getString(DashboardKeys.HOST);
    DashboardHistory history = new DashboardHistory(config.getString(TrainerKeys.RUN_ID));
    DashboardServer server;
    try {
      server =
          DashboardServer.start(
              host,
              port,
              history::snapshot,
              config.dataDir().resolve("sweep").resolve("scaling.svg"));
    } catch (BindException e) {
      log.warn(
          "No dashboard: {}:{} is taken ({}). Set dashboard.port to another port, 0 for any free"
              + " one, or -1 for none.",
          host,
          port,
          e.getMessage());
      return Optional.empty();
    }
    Dashboard dashboard = new Dashboard(host, server, new DashboardTopicReader(config));
    dashboard.feed(config, history);
    log.info("Dashboard on {}", dashboard.url());
    return Optional.of(dashboard);
  }

  private void feed(MillraceConfig config, DashboardHistory history) {
    StatusReader reader = new StatusReader(config);
    StatusWindow window = new StatusWindow(config.getInt(TokenizeKeys.CHUNK_TOKENS));
    statusThread.scheduleWithFixedDelay(
        () -> {
          try {
            topicReader.readNew(history);
            history.addReport(window.add(reader.read()));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (RuntimeException e) {
            // Kafka unreachable, or restarting: the page says so and the next read tries again
            log.debug("Dashboard: cannot read the cluster: {}", e.getMessage(), e);
            history.error(e.getMessage());
          }
        },
        0,
        STATUS_INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
    CheckpointSampler samples = new CheckpointSampler(config, history);
    sampleThread.scheduleWithFixedDelay(
        samples::sampleNewCheckpoint, 0, CHECKPOINT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  public int port() {
    return server.port();
  }

  /** The address to open, {@code http://127.0.0.1:9401/} by default. */
  public String url() {
    String shown = host.equals("0.0.0.0") ? "127.0.0.1" : host;
    return "http://" + shown + ":" + port() + "/";
  }

  private static ScheduledExecutorService daemon(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        runnable -> {
          Thread thread = new Thread(runnable, name);
          thread.setDaemon(true);
          return thread;
        });
  }

  @Override
  public void close() {
    server.close();
    statusThread.shutdownNow();
    sampleThread.shutdownNow();
    try {
      // the consumer is closed once its thread no longer uses it (a Kafka consumer is not
      // thread-safe); a sample being generated ends with its model
      if (statusThread.awaitTermination(15, TimeUnit.SECONDS)) {
        topicReader.close();
      }
      sampleThread.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
