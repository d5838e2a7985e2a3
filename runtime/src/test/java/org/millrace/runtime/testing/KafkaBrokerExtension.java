package org.millrace.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.kafka.EmbeddedKafkaBroker;
import org.millrace.runtime.topics.TopicBootstrap;
import org.millrace.schemas.AvroSerde;

/**
 * A real embedded KRaft broker for a test class, started before its {@code @BeforeAll} methods and
 * closed after its {@code @AfterAll} methods, in a temporary folder of its own. A test class
 * registers it on a static field, {@code @RegisterExtension static final KafkaBrokerExtension kafka
 * = new KafkaBrokerExtension();}, and builds its configurations with {@link #config(Map)} or {@link
 * #pipeline(String, Map)}.
 *
 * <p>The field must be static (one broker a class). Besides the broker's log folder, the temporary
 * folder holds {@link #dataDir()}, the {@code data.dir} of every configuration built here unless a
 * test says otherwise, and a place for the test's own files; all of it is deleted after the class.
 */
public final class KafkaBrokerExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  private Path folder;
  private EmbeddedKafkaBroker broker;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    folder = Files.createTempDirectory("millrace-kafka-test-");
    Files.createDirectories(dataDir());
    broker = EmbeddedKafkaBroker.start(folder.resolve("kafka"), 0);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (broker == null) {
      throw new IllegalStateException(
          "KafkaBrokerExtension is per class: register it on a static field");
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (broker != null) {
        broker.close();
      }
    } finally {
      broker = null;
      deleteRecursively(folder);
    }
  }

  /** The running broker, for the few tests that need it itself. */
  public EmbeddedKafkaBroker broker() {
    if (broker == null) {
      throw new IllegalStateException("the broker is not running (register the field static)");
    }
    return broker;
  }

  public String bootstrapServers() {
    return broker().bootstrapServers();
  }

  /** The test class's own folder: the default {@code data.dir} of {@link #config(Map)}. */
  public Path dataDir() {
    return folder.resolve("data");
  }

  /**
   * A configuration pointed at this broker, with {@link #dataDir()} as its {@code data.dir}; {@code
   * settings} come on top (and may name another {@code data.dir}).
   */
  public MillraceConfig config(Map<String, String> settings) {
    Map<String, String> all = settings();
    all.putAll(settings);
    return MillraceConfig.of(all);
  }

  /**
   * The settings that point a process at this broker and {@link #dataDir()}, in a map the caller
   * may add to (for a configuration, or for the {@code --set} options of a child process).
   */
  public Map<String, String> settings() {
    Map<String, String> settings = new HashMap<>();
    settings.put(MillraceConfig.BOOTSTRAP_SERVERS, bootstrapServers());
    settings.put(MillraceConfig.DATA_DIR, dataDir().toString());
    return settings;
  }

  /** {@link #config(Map)} with no settings of the test's own. */
  public MillraceConfig config() {
    return config(Map.of());
  }

  /**
   * A pipeline of its own on the shared broker: its topics under the prefix {@code name + "."},
   * created, and its {@code data.dir} the folder {@code name} of {@link #dataDir()}.
   */
  public MillraceConfig pipeline(String name, Map<String, String> settings) {
    Map<String, String> all = new HashMap<>();
    all.put(MillraceConfig.TOPICS_PREFIX, name + ".");
    all.put(MillraceConfig.DATA_DIR, dataDir().resolve(name).toString());
    all.putAll(settings);
    return createTopics(config(all));
  }

  /**
   * Creates every topic of {@code config} that is missing, and returns {@code config}.
   * TopicBootstrap describes the topics right after creating them, which a busy broker can answer
   * with "This server does not host this topic-partition": this asks again, a few times.
   */
  public MillraceConfig createTopics(MillraceConfig config) {
    for (int attempt = 1; ; attempt++) {
      try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
        TopicBootstrap.ensureTopics(admin, TopicBootstrap.specifications(config));
        return config;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (IllegalStateException e) {
        if (attempt == 10) {
          throw e;
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(interrupted);
        }
      }
    }
  }

  /** Every committed record of {@code topic} now, in partition then offset order. */
  public List<ConsumerRecord<byte[], byte[]>> records(String topic) {
    return TopicRecords.readAll(bootstrapServers(), topic);
  }

  /** The values of {@link #records(String)}, decoded by {@code serde}. */
  public <T extends SpecificRecord> List<T> values(String topic, AvroSerde<T> serde) {
    return records(topic).stream().map(record -> serde.decode(record.value())).toList();
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
