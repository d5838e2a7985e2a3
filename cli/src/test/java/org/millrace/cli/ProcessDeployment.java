package org.millrace.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.millrace.runtime.config.MillraceConfig;

/**
 * The deployment docker compose runs, as processes of this machine: a broker, each stage and the
 * trainer, each a JVM of its own with its own {@code data.dir} (its folder under {@code dir}) and
 * its output appended to {@code dir/<part>.log}. Like compose's {@code restart: unless-stopped},
 * {@link #supervise()} starts again a part that ended by itself.
 */
final class ProcessDeployment implements AutoCloseable {

  static final List<String> STAGES = List.of("clean", "dedup", "tokenize");
  static final String TRAINER = "train";

  private final Path dir;
  private final int brokerPort;
  private final Map<String, String> settings;
  private final Map<String, Process> parts = new LinkedHashMap<>();
  private final Map<String, Integer> unexpectedExits = new HashMap<>();
  private Process broker;

  /**
   * @param settings every part's settings but {@code bootstrap.servers} and {@code data.dir}
   */
  ProcessDeployment(Path dir, int brokerPort, Map<String, String> settings) {
    this.dir = dir;
    this.brokerPort = brokerPort;
    this.settings = settings;
  }

  String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /** The settings of a part, or of the test itself ({@code part} "test"). */
  Map<String, String> settings(String part) {
    Map<String, String> all = new HashMap<>(settings);
    all.put(MillraceConfig.BOOTSTRAP_SERVERS, bootstrapServers());
    all.put(MillraceConfig.DATA_DIR, dir.resolve(part).toString());
    return all;
  }

  /** Starts the broker on its data folder and port, and waits until it serves clients. */
  void startBroker() throws IOException, InterruptedException {
    Path log = dir.resolve("broker.log");
    long readyBefore = readyLines(log);
    broker =
        ChildJvm.start(
            BrokerProcess.class,
            log,
            List.of(dir.resolve("broker").toString(), String.valueOf(brokerPort)));
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (readyLines(log) == readyBefore) {
      if (!broker.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("the broker did not start; see " + log);
      }
      Thread.sleep(100);
    }
  }

  /** Stops the broker as {@code docker compose restart} does: SIGTERM, then SIGKILL after 30 s. */
  void stopBroker() throws InterruptedException {
    broker.destroy();
    if (!broker.waitFor(30, TimeUnit.SECONDS)) {
      broker.destroyForcibly().waitFor();
    }
  }

  void start(String part) throws IOException {
    parts.put(part, ChildJvm.millrace(settings(part), dir.resolve(part + ".log"), part));
  }

  /**
   * SIGKILL: no shutdown hook, no last commit or checkpoint. Start it again with {@link #start}.
   */
  void kill(String part) throws InterruptedException {
    parts.get(part).destroyForcibly().waitFor();
  }

  /** {@link #kill}, then a new process. */
  void killAndRestart(String part) throws IOException, InterruptedException {
    kill(part);
    start(part);
  }

  /**
   * Starts again every part that ended without being killed.
   *
   * @return the parts restarted
   */
  List<String> supervise() throws IOException {
    List<String> restarted =
        parts.entrySet().stream()
            .filter(entry -> !entry.getValue().isAlive())
            .map(Map.Entry::getKey)
            .toList();
    for (String part : restarted) {
      System.err.printf(
          "ProcessDeployment: %s ended by itself (exit %d); starting it again; see %s%n",
          part, parts.get(part).exitValue(), dir.resolve(part + ".log"));
      unexpectedExits.merge(part, 1, Integer::sum);
      start(part);
    }
    return restarted;
  }

  /** How often each part ended without being killed. */
  Map<String, Integer> unexpectedExits() {
    return Map.copyOf(unexpectedExits);
  }

  /** Kills every part but the broker, which stays up for the test to read the topics. */
  void stopParts() {
    parts.values().forEach(Process::destroyForcibly);
    parts.values().forEach(ProcessDeployment::awaitEnd);
  }

  /** Kills every process, also when the test was interrupted (its time ran out). */
  @Override
  public void close() {
    stopParts();
    if (broker != null) {
      broker.destroyForcibly();
      awaitEnd(broker);
    }
  }

  private static void awaitEnd(Process process) {
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long readyLines(Path log) throws IOException {
    if (!Files.exists(log)) {
      return 0;
    }
    try (var lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
      return lines.filter(line -> line.startsWith(BrokerProcess.READY)).count();
    }
  }
}
