package org.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millrace.cli.local.LocalPipeline;
import org.millrace.cli.status.StatusReader;
import org.millrace.processors.tokenize.TokenizeKeys;
import org.millrace.producers.feed.Feeder;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.KafkaBrokerExtension;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.TrainerProgress;
import org.millrace.trainer.TrainerKeys;

/**
 * The monitoring of docker/ against a running pipeline: every metric the Grafana dashboard and the
 * alert rules query is in a live scrape of our processes, and Debian's Prometheus, scraping the
 * pipeline with our alert rules loaded, holds the loss and lag that the pipeline reports.
 */
public class MonitoringIT {

  private static final Path DEMO_CORPUS = Path.of("target/demo-corpus/picocli");
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final long STEPS = 20;
  private static final HttpClient http = HttpClient.newHttpClient();

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();
  private static MillraceConfig config;
  private static LocalPipeline pipeline;

  @BeforeAll
  static void trainAFewSteps() throws Exception {
    config =
        kafka.config(
            SmallPipeline.settings(
                Map.of(
                    MillraceConfig.METRICS_PORT, "0",
                    TokenizeKeys.VALIDATION_FRACTION, "0.1",
                    TrainerKeys.CHECKPOINT_INTERVAL_STEPS, "5",
                    TrainerKeys.EVAL_INTERVAL_STEPS, "5",
                    TrainerKeys.EVAL_TOKENS, "256",
                    TrainerKeys.MAX_STEPS, String.valueOf(STEPS))));
    pipeline = LocalPipeline.start(config, true);
    try (Feeder feeder = new Feeder(config)) {
      feeder.feed(List.of(DEMO_CORPUS));
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (!(pipeline.trainerDone() && stagesDrained()) && System.nanoTime() < deadline) {
      assertThat(pipeline.failure()).isEmpty();
      Thread.sleep(1000);
    }
    assertThat(pipeline.trainerDone()).as("the trainer took its %d steps", STEPS).isTrue();
  }

  private static boolean stagesDrained() throws Exception {
    return new StatusReader(config)
        .read().stages().stream()
            .filter(stage -> !stage.stage().equals("train"))
            .allMatch(stage -> stage.lag() == 0);
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void everyMetricTheDashboardAndTheAlertsQueryIsExported() throws Exception {
    Set<String> queried = MonitoringFiles.metricsQueried();
    assertThat(queried)
        .as("the names found in the dashboard and the rules")
        .contains(
            "millrace_trainer_loss",
            "millrace_consumer_lag_seconds",
            "kafka_stream_millrace_verdicts_total",
            "millrace_trainer_gradient_norm");

    // lag is read every 15 s and Streams metrics of new tasks are bound within 10 s
    Set<String> exported = awaitScrape(names -> names.containsAll(queried));

    assertThat(exported).containsAll(queried);
  }

  private static Set<String> awaitScrape(Predicate<Set<String>> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Set<String> names = scrapedNames();
    while (!done.test(names) && System.nanoTime() < deadline) {
      Thread.sleep(1000);
      names = scrapedNames();
    }
    return names;
  }

  private static Set<String> scrapedNames() throws Exception {
    String scrape =
        get("http://127.0.0.1:" + pipeline.metricsPort().orElseThrow() + "/metrics").body();
    Set<String> names = new TreeSet<>();
    scrape
        .lines()
        .filter(line -> !line.startsWith("#") && !line.isBlank())
        .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
    return names;
  }

  @Test
  void prometheusScrapesTheLossAndTheLagThePipelineReports() throws Exception {
    if (!Files.isExecutable(PROMETHEUS)) {
      System.err.println(
          "MonitoringIT: SKIPPED the Prometheus test: "
              + PROMETHEUS
              + " is absent (apt-get install prometheus; .ci/run does)");
    }
    assumeTrue(
        Files.isExecutable(PROMETHEUS), PROMETHEUS + " is absent: apt-get install prometheus");
    int port = freePort();
    Path configFile = kafka.dataDir().resolve("prometheus.yml");
    Files.writeString(
        configFile,
        String.join(
            "\n",
            "global:",
            "  scrape_interval: 1s",
            "  evaluation_interval: 1s",
            "rule_files:",
            "  - " + MonitoringFiles.ALERTS.toAbsolutePath().normalize(),
            "scrape_configs:",
            "  - job_name: millrace",
            "    static_configs:",
            "      - targets: ['127.0.0.1:" + pipeline.metricsPort().orElseThrow() + "']",
            ""));
    Path log = kafka.dataDir().resolve("prometheus.log");
    Process prometheus =
        new ProcessBuilder(
                PROMETHEUS.toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + kafka.dataDir().resolve("prometheus-data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      String api = "http://127.0.0.1:" + port + "/api/v1/";
      TrainerProgress latest = latestProgress();
      assertThat(latest.getStep()).isEqualTo(STEPS);

      JsonNode loss = awaitSeries(api, "millrace_trainer_loss");
      assertThat(loss).as("one series per run").hasSize(1);
      assertThat(loss.get(0).path("metric").path("run").asText()).isEqualTo("default");
      assertThat(value(loss.get(0))).isEqualTo((double) latest.getLoss());
      assertThat(value(awaitSeries(api, "millrace_trainer_step").get(0))).isEqualTo(STEPS);

      Map<String, Long> statusLag = new TreeMap<>();
      new StatusReader(config)
          .read()
          .stages()
          .forEach(stage -> statusLag.put(stage.group(), stage.lag()));
      Map<String, Long> prometheusLag = new TreeMap<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      do {
        prometheusLag.clear();
        for (JsonNode series : awaitSeries(api, "sum by (group) (millrace_consumer_lag_records)")) {
          prometheusLag.put(series.path("metric").path("group").asText(), (long) value(series));
        }
        Thread.sleep(1000);
      } while (!prometheusLag.equals(statusLag) && System.nanoTime() < deadline);
      assertThat(prometheusLag)
          .as("lag per group, as millrace status reads it")
          .isEqualTo(statusLag);
      assertThat(statusLag).containsKey("millrace-trainer-default");

      JsonNode rules = new ObjectMapper().readTree(get(api + "rules").body()).path("data");
      List<String> loaded = new ArrayList<>();
      rules
          .path("groups")
          .forEach(g -> g.path("rules").forEach(r -> loaded.add(r.path("name").asText())));
      assertThat(loaded).hasSameSizeAs(MonitoringFiles.rules()).contains("MillraceTrainerStalled");

      for (String expression : MonitoringFiles.dashboardExpressions()) {
        String runnable = expression.replace("$__rate_interval", "1m").replace("$run", ".*");
        assertThat(query(api, runnable).path("status").asText())
            .as("Prometheus runs the dashboard's %s", expression)
            .isEqualTo("success");
      }
    } finally {
      prometheus.destroy();
      if (!prometheus.waitFor(30, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
      }
      System.err.println("MonitoringIT: Prometheus' log is " + log);
    }
  }

  private static TrainerProgress latestProgress() {
    List<TrainerProgress> progress =
        kafka.values(Topics.of(config).progress(), AvroSerde.trainerProgress());
    return progress.get(progress.size() - 1);
  }

  /** The query's result once it has series (Prometheus scrapes every second), else fails. */
  private static JsonNode awaitSeries(String api, String promql) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      JsonNode result = query(api, promql).path("data").path("result");
      if (result.size() > 0) {
        return result;
      }
      assertThat(System.nanoTime()).as("series of %s within a minute", promql).isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  private static JsonNode query(String api, String promql) throws Exception {
    try {
      return new ObjectMapper()
          .readTree(
              get(api + "query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body());
    } catch (java.net.ConnectException starting) {
      return new ObjectMapper().createObjectNode();
    }
  }

  private static double value(JsonNode series) {
    return Double.parseDouble(series.path("value").get(1).asText());
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
