package org.millrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The monitoring files of docker/: the PromQL expressions of the Grafana dashboard and of the alert
 * rules, and the metric names they select.
 */
public final class MonitoringFiles {

  static final Path DOCKER = Path.of("../docker");
  static final Path PROMETHEUS_CONFIG = DOCKER.resolve("prometheus/prometheus.yml");
  static final Path ALERTS = DOCKER.resolve("prometheus/alerts.yml");
  static final Path ALERT_TESTS = DOCKER.resolve("prometheus/alerts.test.yml");
  static final Path DASHBOARD = DOCKER.resolve("grafana/dashboards/millrace.json");
  static final Path DATASOURCES = DOCKER.resolve("grafana/provisioning/datasources/prometheus.yml");

  /** Series Prometheus makes itself for every target; no process exports them. */
  static final Set<String> PROMETHEUS_OWN = Set.of("up");

  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\(\\s*([a-zA-Z_:][\\w:]*)\\s*,");

  private MonitoringFiles() {}

  static JsonNode dashboard() {
    try {
      return new ObjectMapper().readTree(DASHBOARD.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every panel query of the dashboard, rows' panels included. */
  static List<String> dashboardExpressions() {
    List<String> expressions = new ArrayList<>();
    collectExpressions(dashboard().path("panels"), expressions);
    return expressions;
  }

  private static void collectExpressions(JsonNode panels, List<String> expressions) {
    for (JsonNode panel : panels) {
      panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText()));
      collectExpressions(panel.path("panels"), expressions);
    }
  }

  /** The metrics the dashboard's variables take their values from ({@code label_values(m, l)}). */
  static Set<String> dashboardVariableMetrics() {
    Set<String> metrics = new TreeSet<>();
    for (JsonNode variable : dashboard().path("templating").path("list")) {
      Matcher matcher = LABEL_VALUES.matcher(variable.path("definition").asText());
      if (matcher.find()) {
        metrics.add(matcher.group(1));
      }
    }
    return metrics;
  }

  /** Every rule of alerts.yml, recording and alerting. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> rules() {
    Map<String, Object> file = load(ALERTS);
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
      rules.addAll((List<Map<String, Object>>) group.get("rules"));
    }
    return rules;
  }

  static List<String> ruleExpressions() {
    return rules().stream().map(rule -> String.valueOf(rule.get("expr"))).toList();
  }

  /** The series the recording rules of alerts.yml make. */
  static Set<String> recordedSeries() {
    Set<String> recorded = new TreeSet<>();
    rules().stream()
        .filter(rule -> rule.containsKey("record"))
        .forEach(rule -> recorded.add(String.valueOf(rule.get("record"))));
    return recorded;
  }

  /**
   * The metrics our processes must export for the dashboard and the alerts to work: every name
   * their expressions select, less the recorded series and Prometheus' own.
   */
  static Set<String> metricsQueried() {
    Set<String> names = new TreeSet<>(dashboardVariableMetrics());
    List<String> expressions = new ArrayList<>(dashboardExpressions());
    expressions.addAll(ruleExpressions());
    expressions.forEach(expression -> names.addAll(PromQlMetricNames.of(expression)));
    names.removeAll(recordedSeries());
    names.removeAll(PROMETHEUS_OWN);
    return names;
  }

  static Map<String, Object> load(Path yaml) {
    try {
      return new Yaml().load(Files.readString(yaml));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
