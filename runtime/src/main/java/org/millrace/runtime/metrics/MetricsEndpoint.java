package org.millrace.runtime.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.lag.LagMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's Prometheus endpoint: {@code GET /metrics} on {@code metrics.host:metrics.port}, in
 * Prometheus' text format, from a Micrometer registry that the process binds its Kafka clients,
 * Kafka Streams applications and trainer to. Served by the JDK's own HTTP server, one thread.
 */
public final class MetricsEndpoint implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

  private final PrometheusMeterRegistry registry;
  private final HttpServer server;
  private final List<LagMetrics> lagMetrics = new ArrayList<>();

  private MetricsEndpoint(PrometheusMeterRegistry registry, HttpServer server) {
    this.registry = registry;
    this.server = server;
  }

  /**
   * Starts the endpoint the configuration asks for, or none: when {@code metrics.port} is -1, or
   * when the port is taken, which is logged as a warning (metrics must not stop a stage).
   */
  public static Optional<MetricsEndpoint> start(MillraceConfig config) throws IOException {
    int port = config.getInt(MillraceConfig.METRICS_PORT);
    if (port < 0) {
      return Optional.empty();
    }
    String host = config.getString(MillraceConfig.METRICS_HOST);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (BindException e) {
      log.warn(
          "No metrics endpoint: {}:{} is taken ({}). Set metrics.port to another port, 0 for any"
              + " free one, or -1 for none.",
          host,
          port,
          e.getMessage());
      registry.close();
      return Optional.empty();
    }
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    MetricsEndpoint endpoint = new MetricsEndpoint(registry, server);
    log.info("Prometheus metrics on http://{}:{}/metrics", host, endpoint.port());
    return Optional.of(endpoint);
  }

  /** The registry to bind meters to. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Also serves the lag of these consumer groups, in records and seconds ({@link LagMetrics}),
   * until the endpoint closes.
   */
  public void watchLag(MillraceConfig config, List<LagMetrics.Watched> groups) {
    lagMetrics.add(LagMetrics.start(config, registry, groups));
  }

  /** The port it listens on (the one chosen, when metrics.port was 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    lagMetrics.forEach(LagMetrics::close);
    server.stop(0);
    registry.close();
  }
}
