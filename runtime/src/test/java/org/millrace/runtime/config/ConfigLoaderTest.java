package org.millrace.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path directory;

  @Test
  void theFileThenTheEnvironmentThenTheCommandLine() throws Exception {
    Path file = directory.resolve("millrace.properties");
    Files.writeString(
        file,
        """
        data.dir = /srv/millrace
        topics.partitions = 8
        topics.replication.factor = 2
        kafka.security.protocol = SASL_SSL
        """);

    MillraceConfig config =
        ConfigLoader.load(
            file,
            Map.of(
                "MILLRACE_TOPICS_PARTITIONS",
                "12",
                "MILLRACE_TOPICS_REPLICATION_FACTOR",
                "32",
                "PATH",
                "/usr/bin"),
            Map.of("topics.replication.factor", "3"));

    assertThat(config.dataDir()).isEqualTo(Path.of("/srv/millrace"));
    assertThat(config.getInt(MillraceConfig.TOPICS_PARTITIONS)).isEqualTo(12);
    assertThat(config.getShort(MillraceConfig.TOPICS_REPLICATION_FACTOR)).isEqualTo((short) 3);
    assertThat(config.originOf(MillraceConfig.DATA_DIR)).isEqualTo("file " + file);
    assertThat(config.originOf(MillraceConfig.TOPICS_PARTITIONS))
        .isEqualTo("environment variable MILLRACE_TOPICS_PARTITIONS");
    assertThat(config.originOf(MillraceConfig.TOPICS_REPLICATION_FACTOR)).isEqualTo("command line");
    assertThat(config.originOf(MillraceConfig.METRICS_HOST)).isEqualTo("default");
  }

  @Test
  void kafkaClientPropertiesPassThroughToEveryClientAndWin() {
    MillraceConfig config =
        ConfigLoader.load(
            null,
            Map.of(
                "MILLRACE_KAFKA_SECURITY_PROTOCOL",
                "SSL",
                "MILLRACE_BOOTSTRAP_SERVERS",
                "kafka:9092"),
            Map.of("kafka.linger.ms", "5"));

    Properties producer = KafkaClientProperties.producer(config, "p");
    Properties streams = KafkaClientProperties.streams(config, "app");

    assertThat(producer)
        .containsEntry("security.protocol", "SSL")
        .containsEntry("linger.ms", "5")
        .containsEntry("bootstrap.servers", "kafka:9092")
        .containsEntry("enable.idempotence", "true");
    assertThat(streams)
        .containsEntry("security.protocol", "SSL")
        .containsEntry("processing.guarantee", "exactly_once_v2");
    assertThat(KafkaClientProperties.admin(config)).containsEntry("security.protocol", "SSL");
  }

  @Test
  void withoutBootstrapServersClientsUseTheEmbeddedBrokersAddress() {
    MillraceConfig config =
        ConfigLoader.load(null, Map.of("MILLRACE_BROKER_PORT", "19092"), Map.of());

    assertThat(config.hasBootstrapServers()).isFalse();
    assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:19092");
  }

  @Test
  void anUnknownKeyIsAnErrorThatSaysWhereItCameFrom() throws Exception {
    Path file = directory.resolve("typo.properties");
    Files.writeString(file, "topics.partition = 16\n");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown configuration key 'topics.partition'")
        .hasMessageContaining("file " + file);
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("MILLRACE_DATADIR", "x"), Map.of()))
        .hasMessageContaining("'datadir'")
        .hasMessageContaining("environment variable MILLRACE_DATADIR");
  }

  @Test
  void aBadValueNamesTheKeyAndWhereItCameFrom() {
    assertThatThrownBy(
            () -> ConfigLoader.load(null, Map.of("MILLRACE_TOPICS_PARTITIONS", "many"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("topics.partitions")
        .hasMessageContaining("environment variable MILLRACE_TOPICS_PARTITIONS");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("topics.partitions", "0")))
        .hasMessageContaining("topics.partitions")
        .hasMessageContaining("command line");
  }

  @Test
  void theDocumentSizeLimitMustStayBelowTheTopicsMessageSize() {
    assertThatThrownBy(
            () ->
                MillraceConfig.of(
                    Map.of(
                        MillraceConfig.DOCUMENTS_MAX_BYTES,
                        "40000000",
                        MillraceConfig.TOPICS_MAX_MESSAGE_BYTES,
                        "33554432")))
        .hasMessageContaining("documents.max.bytes")
        .hasMessageContaining("must be below topics.max.message.bytes");
  }

  @Test
  void aMissingConfigurationFileIsAnError() {
    assertThatThrownBy(
            () -> ConfigLoader.load(directory.resolve("absent.properties"), Map.of(), Map.of()))
        .hasMessageContaining("does not exist");
  }

  @Test
  void environmentVariableNamesBecomeDottedKeys() {
    assertThat(ConfigLoader.keyOfEnvironmentVariable("MILLRACE_DATA_DIR")).isEqualTo("data.dir");
    assertThat(ConfigLoader.keyOfEnvironmentVariable("MILLRACE_KAFKA_SASL_MECHANISM"))
        .isEqualTo("kafka.sasl.mechanism");
  }
}
