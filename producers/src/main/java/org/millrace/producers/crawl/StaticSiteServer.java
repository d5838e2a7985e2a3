package org.millrace.producers.crawl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A static web site served from the files of a jar (a javadoc jar is a site of a few hundred linked
 * HTML pages) or of a folder, on the loopback interface, with the JDK's HTTP server: the local site
 * that the demo crawls and the crawler's tests and benchmark use. Every file is read into memory at
 * start. {@code /} and folders serve their {@code index.html}; {@code /robots.txt} serves the text
 * given, or 404.
 */
public final class StaticSiteServer implements AutoCloseable {

  /**
   * A request the server answered: its target (raw path and query, as sent) and when it arrived
   * ({@link System#nanoTime()}).
   */
  public record Request(String target, long nanoTime, int status) {}

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css",
          "js", "text/javascript",
          "txt", "text/plain; charset=utf-8",
          "png", "image/png",
          "gif", "image/gif",
          "svg", "image/svg+xml",
          "json", "application/json",
          "zip", "application/zip");

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, byte[]> files;

  private StaticSiteServer(
      Map<String, byte[]> files,
      String robotsTxt,
      int port,
      int threads,
      Consumer<Request> listener)
      throws IOException {
    this.files = files;
    if (robotsTxt != null) {
      files.put("robots.txt", robotsTxt.getBytes(StandardCharsets.UTF_8));
    }
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    this.executor = Executors.newFixedThreadPool(threads);
    server.setExecutor(executor);
    server.createContext("/", exchange -> serve(exchange, listener));
    server.start();
  }

  /** Serves the jar on an ephemeral loopback port, without robots.txt. */
  public static StaticSiteServer start(Path jar) throws IOException {
    return start(jar, 0, null, request -> {});
  }

  /**
   * Serves the jar on the loopback port ({@code 0}: any free one).
   *
   * @param robotsTxt served as {@code /robots.txt}; null: none (404)
   * @param listener told of each request, on the server's threads
   */
  public static StaticSiteServer start(
      Path jar, int port, String robotsTxt, Consumer<Request> listener) throws IOException {
    return new StaticSiteServer(read(jar), robotsTxt, port, 8, listener);
  }

  /** Serves the files under a folder on an ephemeral loopback port, without robots.txt. */
  public static StaticSiteServer startFolder(Path folder) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        String name = folder.relativize(file).toString().replace(File.separatorChar, '/');
        files.put(name, Files.readAllBytes(file));
      }
    }
    return new StaticSiteServer(files, null, 0, 8, request -> {});
  }

  /** The site's root, {@code http://127.0.0.1:PORT/}. */
  public URI root() {
    InetSocketAddress address = server.getAddress();
    return URI.create(
        "http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + "/");
  }

  /** The paths of the files served, without the leading '/'. */
  public Set<String> paths() {
    return Set.copyOf(files.keySet());
  }

  private void serve(HttpExchange exchange, Consumer<Request> listener) throws IOException {
    long arrived = System.nanoTime();
    try (exchange) {
      String target = exchange.getRequestURI().toString();
      String path = exchange.getRequestURI().getPath();
      String name = path.startsWith("/") ? path.substring(1) : path;
      if (name.isEmpty() || name.endsWith("/")) {
        name += "index.html";
      }
      byte[] body = files.get(name);
      boolean head = exchange.getRequestMethod().equals("HEAD");
      if (!exchange.getRequestMethod().equals("GET") && !head) {
        listener.accept(new Request(target, arrived, 405));
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      if (body == null) {
        listener.accept(new Request(target, arrived, 404));
        byte[] notFound = "not found\n".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(404, notFound.length);
        exchange.getResponseBody().write(notFound);
        return;
      }
      listener.accept(new Request(target, arrived, 200));
      String extension = name.substring(name.lastIndexOf('.') + 1);
      exchange
          .getResponseHeaders()
          .set("Content-Type", TYPES.getOrDefault(extension, "application/octet-stream"));
      exchange.sendResponseHeaders(200, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  private static Map<String, byte[]> read(Path jar) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
        if (!entry.isDirectory() && !entry.getName().startsWith("META-INF/")) {
          try (InputStream in = zip.getInputStream(entry)) {
            files.put(entry.getName(), in.readAllBytes());
          }
        }
      }
    }
    return files;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
