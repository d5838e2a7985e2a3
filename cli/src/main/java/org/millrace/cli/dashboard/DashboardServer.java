package org.millrace.cli.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The dashboard's HTTP server (the JDK's own, one thread, as the metrics endpoint): the page and
 * its script from this jar's {@code dashboard/} resources, Chart.js from its webjar on the
 * classpath, and {@code GET /api/dashboard}, the history as JSON, which the page polls. Nothing is
 * fetched from elsewhere: the page works without internet.
 */
public final class DashboardServer implements AutoCloseable {

  public static final String API_PATH = "/api/dashboard";
  public static final String CHART_JS_PATH = "/assets/chart.umd.js";

  /** The scaling-law plot of {@code millrace sweep}, when there is one (docs/scaling.md). */
  public static final String SCALING_PLOT_PATH = "/scaling.svg";

  /** Served paths and the classpath resources behind them. */
  private static final Map<String, String> STATIC_FILES =
      Map.of(
          "/",
          "dashboard/index.html",
          "/dashboard.js",
          "dashboard/dashboard.js",
          "/dashboard.css",
          "dashboard/dashboard.css",
          CHART_JS_PATH,
          chartJsResource());

  private static final Map<String, String> CONTENT_TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8");

  private final HttpServer server;

  private DashboardServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Serves the dashboard on {@code host:port} (0: a free port).
   *
   * @throws java.net.BindException when the port is taken
   */
  public static DashboardServer start(
      String host, int port, Supplier<DashboardHistory.Snapshot> snapshots) throws IOException {
    return start(host, port, snapshots, null);
  }

  /**
   * Serves the dashboard, and {@code scalingPlot} (an SVG file that a sweep may write at any time;
   * null: none) at {@link #SCALING_PLOT_PATH}.
   */
  public static DashboardServer start(
      String host, int port, Supplier<DashboardHistory.Snapshot> snapshots, Path scalingPlot)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    ObjectMapper json = new ObjectMapper();
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
              send(exchange, 405, "text/plain; charset=utf-8", "GET only\n".getBytes());
            } else if (exchange.getRequestURI().getPath().equals(API_PATH)) {
              send(exchange, 200, "application/json", json.writeValueAsBytes(snapshots.get()));
            } else if (exchange.getRequestURI().getPath().equals(SCALING_PLOT_PATH)) {
              sendScalingPlot(exchange, scalingPlot);
            } else {
              sendResource(exchange, STATIC_FILES.get(exchange.getRequestURI().getPath()));
            }
          }
        });
    server.start();
    return new DashboardServer(server);
  }

  /** The port it listens on (the one chosen, when the port asked for was 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void sendScalingPlot(HttpExchange exchange, Path plot) throws IOException {
    if (plot == null || !Files.isRegularFile(plot)) {
      send(
          exchange,
          404,
          "text/plain; charset=utf-8",
          "No scaling plot (millrace sweep)\n".getBytes());
      return;
    }
    send(exchange, 200, "image/svg+xml", Files.readAllBytes(plot));
  }

  private static void sendResource(HttpExchange exchange, String resource) throws IOException {
    if (resource == null) {
      send(exchange, 404, "text/plain; charset=utf-8", "Not found\n".getBytes());
      return;
    }
    try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      String extension = resource.substring(resource.lastIndexOf('.') + 1);
      send(exchange, 200, CONTENT_TYPES.get(extension), in.readAllBytes());
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * Chart.js's UMD build inside its webjar, whose folder carries the version: read from the
   * webjar's own Maven metadata, so that the page never names a version and the pom alone chooses
   * it.
   */
  private static String chartJsResource() {
    String metadata = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";
    try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(metadata)) {
      if (in == null) {
        throw new IllegalStateException("the Chart.js webjar is missing from the classpath");
      }
      Properties properties = new Properties();
      properties.load(in);
      return "META-INF/resources/webjars/chart.js/"
          + properties.getProperty("version")
          + "/dist/chart.umd.js";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
