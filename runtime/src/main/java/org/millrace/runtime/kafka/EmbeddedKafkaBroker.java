package org.millrace.runtime.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A complete single-node Apache Kafka cluster running inside this JVM: one KRaft node that is both
 * broker and controller, listening on 127.0.0.1 only.
 *
 * <p>It serves two purposes. Local mode ({@code millrace up}) starts it on the default port 9092
 * with all of its data under one directory, so that topics, records, consumer offsets and
 * transactions survive a restart of the process. Every integration test starts one on a random port
 * (port 0) in a temporary directory, so that tests run against a real broker and never collide with
 * each other.
 *
 * <p>The storage lives in {@code dataDir/kraft}, which holds both the partition logs and the KRaft
 * metadata log. The first start formats it (like {@code kafka-storage.sh format}) with a new
 * cluster id, which Kafka records in {@code meta.properties}; later starts reuse it as it is. While
 * a broker runs it holds a lock on {@code dataDir/broker.lock}, so a second broker on the same
 * directory, in this JVM or another process, fails at once instead of writing to the same metadata
 * log.
 *
 * <p>The quorum is static: {@code controller.quorum.voters} names this node's controller endpoint
 * and the storage is formatted with {@code kraft.version} 0. With a static quorum the voter
 * endpoint lives only in the configuration, never in the metadata log, so the controller takes a
 * new free port on every start and no port needs to be remembered between runs. (A dynamic quorum,
 * as made by {@code kafka-storage.sh format --standalone}, writes the controller endpoint into the
 * metadata log and so pins the controller port.)
 *
 * <p>Everything is set up for one node: every internal topic (consumer offsets, transaction state,
 * share-group state) has one replica, so idempotent and transactional producers, consumer groups
 * and Kafka Streams with {@code processing.guarantee=exactly_once_v2} work. Topics are never
 * created implicitly.
 *
 * <p>{@link #startSecured} starts it as a secured production cluster runs: SASL_SSL only, with
 * SCRAM-SHA-512 logins and ACLs ({@link SaslSslSecurity}), for the tests that show Millrace works
 * against one.
 *
 * <p>As in a standalone Kafka process, a fatal fault in the controller (for example unreadable
 * metadata) halts the JVM rather than leaving a broken broker running.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  /**
   * Every listener binds the loopback interface: the embedded broker is never reachable from other
   * machines.
   */
  private static final String HOST = "127.0.0.1";

  private static final int NODE_ID = 1;
  private static final String BROKER_LISTENER = "PLAINTEXT";
  private static final String SECURED_BROKER_LISTENER = "SASL_SSL";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String STORAGE_DIRECTORY = "kraft";
  private static final String LOCK_FILE = "broker.lock";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Properties that define the node, its listeners and its storage. This class derives them from
   * {@code dataDir} and {@code port}; letting a caller override them would make {@link
   * #bootstrapServers()} or the formatted storage disagree with the running broker.
   */
  private static final Set<String> MANAGED_PROPERTIES =
      Set.of(
          "process.roles",
          "node.id",
          "listeners",
          "advertised.listeners",
          "listener.security.protocol.map",
          "inter.broker.listener.name",
          "controller.listener.names",
          "controller.quorum.voters",
          "controller.quorum.bootstrap.servers",
          "log.dirs",
          "log.dir",
          "metadata.log.dir");

  private final KafkaRaftServer server;
  private final FileLock dataDirLock;
  private final Path dataDir;
  private final String bootstrapServers;
  private boolean closed;

  private EmbeddedKafkaBroker(
      KafkaRaftServer server, FileLock dataDirLock, Path dataDir, String bootstrapServers) {
    this.server = server;
    this.dataDirLock = dataDirLock;
    this.dataDir = dataDir;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Starts a broker with its data under {@code dataDir} and its client listener on {@code port}.
   *
   * @param dataDir the directory that holds all of the broker's data; created and formatted if it
   *     is new
   * @param port the port of the client listener on 127.0.0.1, or 0 for a free port chosen at random
   * @return the running broker, already serving clients
   * @throws IllegalStateException if the port is in use, another broker uses {@code dataDir}, or
   *     the broker fails or does not serve clients within 60 seconds
   */
  public static EmbeddedKafkaBroker start(Path dataDir, int port) {
    return start(dataDir, port, Map.of());
  }

  /**
   * Starts a broker like {@link #start(Path, int)}, with extra broker properties applied on top of
   * the single-node defaults (for example {@code log.retention.ms}).
   *
   * @param overrides broker properties by name; the ones that define the node, its listeners and
   *     its storage are set by this class and are rejected here
   * @throws IllegalArgumentException if {@code overrides} names a property that this class sets
   *     itself
   */
  public static EmbeddedKafkaBroker start(Path dataDir, int port, Map<String, String> overrides) {
    return startChecked(dataDir, port, overrides, Optional.empty());
  }

  private static void checkArguments(int port, Map<String, String> overrides) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Port must be between 0 and 65535, got " + port);
    }
    Set<String> managedOverrides = new TreeSet<>(overrides.keySet());
    managedOverrides.retainAll(MANAGED_PROPERTIES);
    if (!managedOverrides.isEmpty()) {
      throw new IllegalArgumentException(
          "These broker properties are set by EmbeddedKafkaBroker and cannot be overridden: "
              + managedOverrides);
    }
  }

  /**
   * Starts a broker like {@link #start(Path, int, Map)} whose only client listener speaks SASL_SSL
   * with SCRAM-SHA-512, whose controller listener speaks SASL_SSL too, and which authorizes every
   * request by ACLs: the users of {@code security} exist, and only its super users may do anything
   * before ACLs are created. Clients connect with {@link SaslSslSecurity#clientProperties(String)}.
   */
  public static EmbeddedKafkaBroker startSecured(
      Path dataDir, int port, Map<String, String> overrides, SaslSslSecurity security) {
    return startChecked(dataDir, port, overrides, Optional.of(security));
  }

  private static EmbeddedKafkaBroker startChecked(
      Path dataDir, int port, Map<String, String> overrides, Optional<SaslSslSecurity> security) {
    checkArguments(port, overrides);
    FileLock dataDirLock = lockDataDir(dataDir);
    try {
      return startLocked(dataDir, port, overrides, security, dataDirLock);
    } catch (RuntimeException e) {
      release(dataDirLock);
      throw e;
    }
  }

  private static EmbeddedKafkaBroker startLocked(
      Path dataDir,
      int port,
      Map<String, String> overrides,
      Optional<SaslSslSecurity> security,
      FileLock dataDirLock) {
    long deadlineNanos = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    Path storageDir = dataDir.toAbsolutePath().resolve(STORAGE_DIRECTORY);
    Ports ports = choosePorts(port);
    KafkaConfig config =
        new KafkaConfig(brokerProperties(storageDir, ports, overrides, security), false);
    if (!Files.exists(storageDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
      format(config, storageDir, security);
    }

    String bootstrapServers = HOST + ":" + ports.broker();
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      // Returns once the broker has caught up with the metadata log and been unfenced, or throws
      // when server.max.startup.time.ms runs out.
      server.startup();
      Map<String, Object> probe = new HashMap<>();
      security.ifPresent(secured -> probe.putAll(secured.clientProperties(secured.broker())));
      probe.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      awaitServingClients(probe, deadlineNanos);
    } catch (RuntimeException e) {
      server.shutdown();
      server.awaitShutdown();
      throw new IllegalStateException(
          "Kafka broker on "
              + bootstrapServers
              + " with data in "
              + storageDir
              + " failed to start: "
              + e.getMessage(),
          e);
    }
    LOG.info("Kafka broker serving on {} with data in {}", bootstrapServers, storageDir);
    return new EmbeddedKafkaBroker(server, dataDirLock, dataDir, bootstrapServers);
  }

  /** The address clients connect to, for example {@code 127.0.0.1:9092}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The directory given to {@link #start(Path, int)}, which holds all of the broker's data. */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * Shuts the broker down and waits until it has stopped: its ports are free and its storage
   * unlocked, so a new broker may start on the same data directory straight away. Calling it again
   * does nothing.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      release(dataDirLock);
    }
    LOG.info("Kafka broker on {} stopped", bootstrapServers);
  }

  /**
   * Kafka locks the log directory only when the broker part starts, after the controller part has
   * already opened the metadata log; this lock keeps a second broker away from the start.
   */
  private static FileLock lockDataDir(Path dataDir) {
    Path lockFile = dataDir.resolve(LOCK_FILE);
    FileChannel channel = null;
    try {
      Files.createDirectories(dataDir);
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return lock;
      }
    } catch (OverlappingFileLockException e) {
      // A broker in this JVM holds the lock; handled below like one in another process.
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("Cannot lock Kafka data directory " + dataDir, e);
    }
    closeQuietly(channel);
    throw new IllegalStateException(
        "Cannot start the Kafka broker: another broker is using data directory "
            + dataDir.toAbsolutePath()
            + " (it holds "
            + lockFile.getFileName()
            + ")");
  }

  /**
   * Closing the channel releases the lock; the file stays, as deleting it could race with a new
   * broker.
   */
  private static void release(FileLock lock) {
    try {
      lock.channel().close();
    } catch (IOException e) {
      LOG.warn("Cannot release the lock on {}", lock, e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.warn("Cannot close {}", channel, e);
    }
  }

  private record Ports(int broker, int controller) {}

  /**
   * Checks that the broker port is free (or picks one for port 0) and picks a free controller port.
   * Both sockets are held open together so that the two ports differ; they are released just before
   * Kafka binds them.
   */
  private static Ports choosePorts(int brokerPort) {
    try (ServerSocket broker = bindBrokerPort(brokerPort);
        ServerSocket controller = bindLoopback(0)) {
      return new Ports(broker.getLocalPort(), controller.getLocalPort());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot find free ports on " + HOST + " for the Kafka broker", e);
    }
  }

  private static ServerSocket bindBrokerPort(int port) throws IOException {
    try {
      return bindLoopback(port);
    } catch (BindException e) {
      throw new IllegalStateException(
          "Cannot start the Kafka broker: port " + port + " on " + HOST + " is already in use", e);
    }
  }

  private static ServerSocket bindLoopback(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      // Kafka's listener sockets use SO_REUSEADDR; so does this check, so that a port whose last
      // connections are still in TIME_WAIT after a restart counts as free, as it does for Kafka.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(HOST, port));
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private static Map<String, String> brokerProperties(
      Path storageDir,
      Ports ports,
      Map<String, String> overrides,
      Optional<SaslSslSecurity> security) {
    String brokerListener = security.isPresent() ? SECURED_BROKER_LISTENER : BROKER_LISTENER;
    String protocol = security.isPresent() ? "SASL_SSL" : "PLAINTEXT";
    Map<String, String> properties = new HashMap<>();
    properties.put("process.roles", "broker,controller");
    properties.put("node.id", Integer.toString(NODE_ID));
    properties.put(
        "listeners",
        brokerListener
            + "://"
            + HOST
            + ":"
            + ports.broker()
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + HOST
            + ":"
            + ports.controller());
    properties.put("advertised.listeners", brokerListener + "://" + HOST + ":" + ports.broker());
    properties.put(
        "listener.security.protocol.map",
        brokerListener + ":" + protocol + "," + CONTROLLER_LISTENER + ":" + protocol);
    properties.put("inter.broker.listener.name", brokerListener);
    security.ifPresent(
        secured ->
            properties.putAll(secured.brokerProperties(brokerListener, CONTROLLER_LISTENER)));
    properties.put("controller.listener.names", CONTROLLER_LISTENER);
    properties.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + ports.controller());
    // The metadata log goes into the first (here the only) log directory.
    properties.put("log.dirs", storageDir.toString());

    // Internal topics default to three replicas, which one node can never provide.
    properties.put("offsets.topic.replication.factor", "1");
    properties.put("transaction.state.log.replication.factor", "1");
    properties.put("transaction.state.log.min.isr", "1");
    properties.put("share.coordinator.state.topic.replication.factor", "1");
    properties.put("share.coordinator.state.topic.min.isr", "1");
    properties.put("default.replication.factor", "1");
    properties.put("min.insync.replicas", "1");
    // Nobody else will join a group, so waiting for more members only delays every consumer start.
    properties.put("group.initial.rebalance.delay.ms", "0");
    // Topics are created explicitly, with their partition counts; a typo must not create a topic.
    properties.put("auto.create.topics.enable", "false");
    properties.put("num.partitions", "1");
    properties.put("server.max.startup.time.ms", Long.toString(STARTUP_TIMEOUT.toMillis()));

    properties.putAll(overrides);
    return properties;
  }

  /**
   * Formats new storage the way {@code kafka-storage.sh format} does for a node with a static
   * quorum.
   */
  private static void format(
      KafkaConfig config, Path storageDir, Optional<SaslSslSecurity> security) {
    String clusterId = Uuid.randomUuid().toString();
    try {
      Formatter formatter = new Formatter();
      // The users' SCRAM credentials go into the bootstrap metadata, as with
      // kafka-storage.sh format --add-scram: the broker logs in to itself with one.
      security.ifPresent(secured -> formatter.setScramArguments(secured.scramArguments()));
      formatter
          // The formatter reports progress on System.out; the log line below replaces it.
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(NODE_ID)
          .setClusterId(clusterId)
          .setDirectories(List.of(storageDir.toString()))
          .setMetadataLogDirectory(storageDir.toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setUnstableFeatureVersionsEnabled(config.unstableFeatureVersionsEnabled())
          // The metadata log of a controller starts from a bootstrap snapshot holding the
          // initial feature levels; the storage tool writes it for every controller.
          .setWriteBootstrapSnapshot(true)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException(
          "Cannot format Kafka storage in " + storageDir + ": " + e.getMessage(), e);
    }
    LOG.info("Formatted new Kafka storage in {} with cluster id {}", storageDir, clusterId);
  }

  /**
   * Proves that the client listener answers requests, not merely that the server objects started.
   */
  private static void awaitServingClients(Map<String, Object> adminProperties, long deadlineNanos) {
    Object bootstrapServers = adminProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    long remainingMillis =
        Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    Admin admin = Admin.create(adminProperties);
    try {
      admin.describeCluster().nodes().get(remainingMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka broker did not serve clients on "
              + bootstrapServers
              + " within "
              + STARTUP_TIMEOUT.toSeconds()
              + " s",
          e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Kafka broker on "
              + bootstrapServers
              + " does not serve clients: "
              + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "Interrupted while waiting for the Kafka broker on " + bootstrapServers, e);
    } finally {
      // A plain close() would wait for a request that is still retrying after the timeout above.
      admin.close(Duration.ZERO);
    }
  }
}
