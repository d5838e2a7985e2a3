package org.millrace.producers.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.kafka.EmbeddedKafkaBroker;
import org.millrace.runtime.testing.TopicRecords;
import org.millrace.runtime.topics.TopicBootstrap;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.RejectedDocument;

/** The feeder against a real broker: what lands on docs.raw and docs.rejected. */
class FeederTest {

  @TempDir static Path brokerDir;
  private static EmbeddedKafkaBroker broker;

  @TempDir Path corpus;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedKafkaBroker.start(brokerDir, 0);
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void feedsTextHtmlAndJsonlAndRejectsWhatIsNotADocument() throws Exception {
    MillraceConfig config = config("t1.");
    Files.writeString(corpus.resolve("a.txt"), "A plain text document.");
    Files.createDirectories(corpus.resolve("site/deeper"));
    Files.writeString(corpus.resolve("site/deeper/page.html"), "<p>Hello</p>");
    Files.write(corpus.resolve("site/logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    Files.writeString(
        corpus.resolve("lines.jsonl"),
        String.join(
                "\n",
                "{\"text\": \"first line\", \"url\": \"https://example.org/1\", \"lang\": \"en\"}",
                "",
                "{\"text\": broken",
                "{\"id\": \"own-id\", \"html\": \"<b>second</b>\"}",
                "{\"title\": \"no text field\"}",
                "[1, 2]")
            + "\n");
    Files.writeString(corpus.resolve("huge.txt"), "x".repeat(5000));

    FeedSummary summary;
    try (Feeder feeder = new Feeder(config)) {
      summary = feeder.feed(List.of(corpus));
    }

    assertThat(summary.documents()).isEqualTo(4);
    assertThat(summary.rejected()).isEqualTo(4);
    assertThat(summary.skippedFiles()).isEqualTo(1);

    List<RawDocument> raw =
        TopicRecords.readAll(broker.bootstrapServers(), "t1.docs.raw").stream()
            .map(record -> AvroSerde.rawDocument().decode(record.value()))
            .toList();
    assertThat(raw)
        .extracting(document -> StandardCharsets.UTF_8.decode(document.getBody()).toString())
        .containsExactlyInAnyOrder(
            "A plain text document.", "first line", "<b>second</b>", "<p>Hello</p>");
    RawDocument firstLine =
        raw.stream()
            .filter(d -> "https://example.org/1".equals(d.getUrl()))
            .findFirst()
            .orElseThrow();
    assertThat(firstLine.getMetadata()).containsEntry("lang", "en");
    assertThat(firstLine.getSource()).endsWith("lines.jsonl:1");
    assertThat(raw).extracting(RawDocument::getId).contains("own-id");
    assertThat(
            raw.stream()
                .filter(d -> d.getSource().endsWith("page.html"))
                .findFirst()
                .orElseThrow()
                .getContentType())
        .isEqualTo("text/html");

    List<ConsumerRecord<byte[], byte[]>> rejectedRecords =
        TopicRecords.readAll(broker.bootstrapServers(), "t1.docs.rejected");
    List<RejectedDocument> rejected =
        rejectedRecords.stream().map(r -> AvroSerde.rejectedDocument().decode(r.value())).toList();
    assertThat(rejected)
        .extracting(RejectedDocument::getReason)
        .containsExactlyInAnyOrder(
            "malformed_json", "not_a_document", "not_a_document", "too_large");
    assertThat(rejected).allSatisfy(r -> assertThat(r.getStage()).isEqualTo("feed"));
    assertThat(rejected)
        .extracting(RejectedDocument::getOriginSource)
        .anySatisfy(source -> assertThat(source).endsWith("lines.jsonl:3"))
        .anySatisfy(source -> assertThat(source).endsWith("huge.txt"));
    RejectedDocument huge =
        rejected.stream().filter(r -> r.getReason().equals("too_large")).findFirst().orElseThrow();
    assertThat(huge.getPayloadSize()).isEqualTo(5000);
    assertThat(huge.getPayload().remaining()).isEqualTo(100);
  }

  @Test
  void feedingTheSameFileTwiceGivesTheSameIds() throws Exception {
    MillraceConfig config = config("t2.");
    Files.writeString(corpus.resolve("same.txt"), "Same text.");

    try (Feeder feeder = new Feeder(config)) {
      feeder.feed(List.of(corpus));
      feeder.feed(List.of(corpus.resolve("same.txt")));
    }

    List<ConsumerRecord<byte[], byte[]>> records =
        TopicRecords.readAll(broker.bootstrapServers(), "t2.docs.raw");
    assertThat(records).hasSize(2);
    assertThat(new String(records.get(0).key(), StandardCharsets.UTF_8))
        .isEqualTo(new String(records.get(1).key(), StandardCharsets.UTF_8))
        .isEqualTo(AvroSerde.rawDocument().decode(records.get(0).value()).getId());
  }

  @Test
  void aPathThatDoesNotExistIsAnErrorBeforeAnythingIsSent() {
    MillraceConfig config = config("t3.");
    try (Feeder feeder = new Feeder(config)) {
      assertThatThrownBy(() -> feeder.feed(List.of(corpus, corpus.resolve("missing.txt"))))
          .hasMessageContaining("no such file or directory")
          .hasMessageContaining("missing.txt");
    }
  }

  private static MillraceConfig config(String prefix) {
    MillraceConfig config =
        MillraceConfig.of(
            Map.of(
                MillraceConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers(),
                MillraceConfig.TOPICS_PREFIX, prefix,
                MillraceConfig.TOPICS_PARTITIONS, "2",
                MillraceConfig.DOCUMENTS_MAX_BYTES, "4096",
                MillraceConfig.REJECTED_PAYLOAD_MAX_BYTES, "100"));
    try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
      TopicBootstrap.ensureTopics(admin, TopicBootstrap.specifications(config));
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    return config;
  }
}
