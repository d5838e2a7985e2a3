package org.millrace.producers.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.KafkaBrokerExtension;
import org.millrace.runtime.testing.SharedTestData;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.RejectedDocument;

/** The feeder against a real broker: what lands on docs.raw and docs.rejected. */
class FeederTest {

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  @TempDir Path corpus;

  @Test
  void feedsTextHtmlAndJsonlAndRejectsWhatIsNotADocument() throws Exception {
    MillraceConfig config = config("t1");
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

    List<RawDocument> raw = kafka.values("t1.docs.raw", AvroSerde.rawDocument());
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

    List<ConsumerRecord<byte[], byte[]>> rejectedRecords = kafka.records("t1.docs.rejected");
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
    MillraceConfig config = config("t2");
    Files.writeString(corpus.resolve("same.txt"), "Same text.");

    // No progress kept: the second feed publishes the file again, under the same id.
    try (Feeder feeder = new Feeder(config, FeedSettings.defaults().withResume(false))) {
      feeder.feed(List.of(corpus));
      feeder.feed(List.of(corpus.resolve("same.txt")));
    }

    List<ConsumerRecord<byte[], byte[]>> records = kafka.records("t2.docs.raw");
    assertThat(records).hasSize(2);
    assertThat(new String(records.get(0).key(), StandardCharsets.UTF_8))
        .isEqualTo(new String(records.get(1).key(), StandardCharsets.UTF_8))
        .isEqualTo(AvroSerde.rawDocument().decode(records.get(0).value()).getId());
  }

  @Test
  void aPathThatDoesNotExistIsAnErrorBeforeAnythingIsSent() {
    MillraceConfig config = config("t3");
    try (Feeder feeder = new Feeder(config)) {
      assertThatThrownBy(() -> feeder.feed(List.of(corpus, corpus.resolve("missing.txt"))))
          .hasMessageContaining("no such file or directory")
          .hasMessageContaining("missing.txt");
    }
  }

  @Test
  void everySharedWarcSampleThroughKafka() throws Exception {
    Path warcs = SharedTestData.warcs();
    MillraceConfig config = config("t4", 1 << 20);

    FeedSummary summary;
    try (Feeder feeder = new Feeder(config)) {
      summary = feeder.feed(List.of(warcs));
    }

    // By hand (zcat -f | grep '^WARC-Type:', see WarcDocumentsTest): seven response or
    // conversion records in readable files (jwarc-cc, whirlwind .warc.gz and .wet.gz,
    // warcio-example, -bad-non-chunked, -iana.org-chunked, -wrong-chunks), and the truncated
    // response of warcio-example-trunc.warc.
    assertThat(summary.files()).isEqualTo(10);
    assertThat(summary.documents()).isEqualTo(7);
    assertThat(summary.rejectedByReason()).isEqualTo(Map.of("truncated_record", 1L));
    assertThat(summary.skippedByKind())
        .containsEntry("warc request", 8L)
        .containsEntry("warc revisit", 2L)
        .containsEntry("warc resource", 1L);
    List<RawDocument> raw = kafka.values("t4.docs.raw", AvroSerde.rawDocument());
    assertThat(raw).hasSize(7);
    assertThat(raw)
        .filteredOn(d -> d.getSource().contains("whirlwind.warc.wet.gz@"))
        .singleElement()
        .satisfies(d -> assertThat(d.getMetadata()).containsEntry("language", "spa"));
    List<RejectedDocument> rejected =
        kafka.values("t4.docs.rejected", AvroSerde.rejectedDocument());
    assertThat(rejected)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getReason()).isEqualTo("truncated_record");
              assertThat(r.getOriginSource()).contains("warcio-example-trunc.warc@");
            });
  }

  @Test
  void aGitWorkingCopyIsCodeWithoutBinariesVendoredFoldersOrHugeFiles() throws Exception {
    MillraceConfig config = config("t5");
    Path repository = corpus.resolve("projects/tool");
    Files.createDirectories(repository.resolve(".git"));
    Files.writeString(repository.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    Files.writeString(
        repository.resolve("LICENSE"),
        "MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a"
            + " copy of this software...\n");
    Files.createDirectories(repository.resolve("src/tool"));
    Files.writeString(repository.resolve("src/tool/main.py"), "print('hello')\n");
    Files.writeString(repository.resolve("src/tool/Lib.java"), "class Lib {}\n");
    byte[] binary = "GIF89a....".getBytes(StandardCharsets.US_ASCII);
    binary[7] = 0;
    Files.write(repository.resolve("src/tool/icon.gif"), binary);
    Files.writeString(repository.resolve("src/tool/data.json"), "[" + "1,".repeat(600) + "1]");
    Files.createDirectories(repository.resolve("node_modules/left-pad"));
    Files.writeString(repository.resolve("node_modules/left-pad/index.js"), "module.exports=1");
    Files.createDirectories(repository.resolve("build"));
    Files.writeString(repository.resolve("build/out.txt"), "generated");
    Files.writeString(corpus.resolve("projects/notes.txt"), "Not code: beside the repository.");

    FeedSummary summary;
    try (Feeder feeder = new Feeder(config, FeedSettings.defaults().withCodeFileMaxBytes(1000))) {
      summary = feeder.feed(List.of(corpus));
    }

    List<RawDocument> raw = kafka.values("t5.docs.raw", AvroSerde.rawDocument());
    assertThat(raw)
        .filteredOn(d -> "code".equals(d.getMetadata().get("kind")))
        .extracting(d -> d.getMetadata().get("path"))
        .containsExactlyInAnyOrder("LICENSE", "src/tool/main.py", "src/tool/Lib.java");
    RawDocument python =
        raw.stream().filter(d -> d.getSource().endsWith("main.py")).findFirst().orElseThrow();
    assertThat(python.getMetadata())
        .containsEntry("language", "Python")
        .containsEntry("licence_file", "LICENSE")
        .containsEntry("licence_spdx", "MIT")
        .containsEntry("repository", "tool");
    assertThat(raw)
        .filteredOn(d -> d.getSource().endsWith("notes.txt"))
        .singleElement()
        .satisfies(d -> assertThat(d.getMetadata()).doesNotContainKey("kind"));
    assertThat(summary.skippedByKind())
        .isEqualTo(Map.of("binary file", 1L, "code file over 1000 bytes", 1L));
  }

  @Test
  void anInterruptedFeedResumedPublishesEveryDocumentOnce() throws Exception {
    MillraceConfig config = config("t6");
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      lines.add(i == 7 ? "{\"text\": broken" : "{\"text\": \"line " + i + "\"}");
    }
    Files.write(corpus.resolve("a.jsonl"), lines);
    Files.writeString(corpus.resolve("b.txt"), "the text file");
    FeedSettings options = FeedSettings.defaults();

    FeedSummary first;
    try (Feeder feeder = new Feeder(config, options.withStopAfterRecords(15))) {
      first = feeder.feed(List.of(corpus));
    }
    FeedSummary second;
    try (Feeder feeder = new Feeder(config, options)) {
      second = feeder.feed(List.of(corpus));
    }
    FeedSummary third;
    try (Feeder feeder = new Feeder(config, options)) {
      third = feeder.feed(List.of(corpus));
    }

    assertThat(first.interrupted()).isTrue();
    assertThat(first.documents() + first.rejected()).isEqualTo(15);
    assertThat(second.interrupted()).isFalse();
    assertThat(second.alreadyFed()).isEqualTo(15);
    assertThat(second.documents() + second.rejected()).isEqualTo(41 - 15);
    assertThat(third.documents() + third.rejected()).isZero();
    assertThat(third.alreadyFed()).isEqualTo(41);

    List<RawDocument> raw = kafka.values("t6.docs.raw", AvroSerde.rawDocument());
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      if (i != 7) {
        expected.add("line " + i);
      }
    }
    expected.add("the text file");
    assertThat(raw)
        .extracting(d -> StandardCharsets.UTF_8.decode(d.getBody()).toString())
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(raw).extracting(RawDocument::getId).doesNotHaveDuplicates();
    assertThat(kafka.records("t6.docs.rejected")).hasSize(1);
  }

  @Test
  void anInterruptedWarcFeedResumesAfterTheAcknowledgedRecords() throws Exception {
    Path warcs = SharedTestData.warcs();
    MillraceConfig config = config("t8", 1 << 20);
    FeedSettings options = FeedSettings.defaults();

    // Stopped after 3 records of the 8 (7 documents and a truncated record, as above), within
    // the second file of the folder, then run again to the end.
    try (Feeder feeder = new Feeder(config, options.withStopAfterRecords(3))) {
      assertThat(feeder.feed(List.of(warcs)).interrupted()).isTrue();
    }
    FeedSummary resumed;
    try (Feeder feeder = new Feeder(config, options)) {
      resumed = feeder.feed(List.of(warcs));
    }

    assertThat(resumed.alreadyFed()).isEqualTo(3);
    List<RawDocument> raw = kafka.values("t8.docs.raw", AvroSerde.rawDocument());
    assertThat(raw).hasSize(7);
    assertThat(raw).extracting(RawDocument::getSource).doesNotHaveDuplicates();
    assertThat(kafka.records("t8.docs.rejected")).hasSize(1);
  }

  @Test
  void aChangedFileIsFedAgainFromTheStart() throws Exception {
    MillraceConfig config = config("t7");
    Path file = corpus.resolve("c.jsonl");
    Files.writeString(file, "{\"text\": \"one\"}\n");
    FeedSettings options = FeedSettings.defaults();
    try (Feeder feeder = new Feeder(config, options)) {
      feeder.feed(List.of(file));
    }
    Files.writeString(file, "{\"text\": \"one\"}\n{\"text\": \"two, appended\"}\n");

    FeedSummary again;
    try (Feeder feeder = new Feeder(config, options)) {
      again = feeder.feed(List.of(file));
    }

    assertThat(again.documents()).isEqualTo(2);
  }

  @Test
  void aTransactionKafkaRefusesIsAbortedAndSentAgain() throws Exception {
    // Sends to a topic that is missing fail after max.block.ms; the topic comes back later.
    MillraceConfig config = config("t9").with(Map.of("kafka.max.block.ms", "1500"));
    String raw = Topics.of(config).raw();
    try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
      admin.deleteTopics(List.of(raw)).all().get();
    }
    List<String> ids = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add("doc-" + i);
      lines.add("{\"id\": \"doc-" + i + "\", \"text\": \"line " + i + "\"}");
    }
    Path file = Files.write(corpus.resolve("d.jsonl"), lines);
    Thread recreate =
        new Thread(
            () -> {
              try {
                Thread.sleep(2500);
              } catch (InterruptedException e) {
                return;
              }
              kafka.createTopics(config);
            });
    recreate.start();

    FeedSummary summary;
    try (Feeder feeder = new Feeder(config)) {
      summary = feeder.feed(List.of(file));
    } finally {
      recreate.join();
    }

    assertThat(summary.documents()).isEqualTo(20);
    assertThat(kafka.values(raw, AvroSerde.rawDocument()))
        .extracting(RawDocument::getId)
        .containsExactlyInAnyOrderElementsOf(ids);
  }

  private static MillraceConfig config(String name) {
    return config(name, 4096);
  }

  /** A pipeline of its own: topics under {@code name.}, data under {@code data.dir/name}. */
  private static MillraceConfig config(String name, int documentMaxBytes) {
    return kafka.pipeline(
        name,
        Map.of(
            MillraceConfig.TOPICS_PARTITIONS, "2",
            MillraceConfig.DOCUMENTS_MAX_BYTES, String.valueOf(documentMaxBytes),
            MillraceConfig.REJECTED_PAYLOAD_MAX_BYTES, "100"));
  }
}
