package org.millrace.producers.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.reject.RejectReason;

/** Parquet files written by parquet's own writer, as a FineWeb shard is laid out, read back. */
class ParquetDocumentsTest {

  /** FineWeb's columns (huggingface.co/datasets/HuggingFaceFW/fineweb), and a nested one. */
  static final MessageType FINEWEB =
      MessageTypeParser.parseMessageType(
          "message fineweb { optional binary text (STRING); optional binary id (STRING);"
              + " optional binary url (STRING); optional binary language (STRING);"
              + " optional double language_score; optional int64 token_count;"
              + " repeated binary tags (STRING); }");

  @TempDir Path scratch;

  @Test
  void eachRowIsADocumentWithItsScalarColumnsAsMetadata() throws Exception {
    Path file = scratch.resolve("shard.parquet");
    try (ParquetWriter<Group> writer = writer(file, FINEWEB)) {
      SimpleGroupFactory rows = new SimpleGroupFactory(FINEWEB);
      writer.write(
          rows.newGroup()
              .append("text", "Le premier document.")
              .append("id", "<urn:uuid:1>")
              .append("url", "https://example.fr/1")
              .append("language", "fr")
              .append("language_score", 0.97)
              .append("token_count", 5L)
              .append("tags", "a")
              .append("tags", "b"));
      writer.write(rows.newGroup().append("id", "<urn:uuid:2>").append("language", "en"));
      writer.write(rows.newGroup().append("text", "Third, with no id."));
    }

    CollectedRecords records = new CollectedRecords(1 << 20);
    ParquetDocuments.read(file, "file:shard.parquet", "text", records);

    assertThat(records.documents).hasSize(2);
    RawDocument first = records.documents.get(0);
    assertThat(StandardCharsets.UTF_8.decode(first.getBody()).toString())
        .isEqualTo("Le premier document.");
    assertThat(first.getId()).isEqualTo("<urn:uuid:1>");
    assertThat(first.getUrl()).isEqualTo("https://example.fr/1");
    assertThat(first.getMetadata())
        .containsEntry("language", "fr")
        .containsEntry("language_score", "0.97")
        .containsEntry("token_count", "5")
        .doesNotContainKeys("tags", "text", "id", "url");
    assertThat(records.documents.get(1).getSource()).isEqualTo("file:shard.parquet#row=3");
    assertThat(records.documents.get(1).getId()).isEqualTo(Feeder.idOf("file:shard.parquet#row=3"));
    assertThat(records.rejected)
        .singleElement()
        .satisfies(
            rejected -> {
              assertThat(rejected.reason()).isEqualTo(RejectReason.NOT_A_DOCUMENT);
              assertThat(rejected.source()).isEqualTo("file:shard.parquet#row=2");
            });
    assertThat(FileFormat.detect(file)).isEqualTo(FileFormat.PARQUET);
  }

  @Test
  void theTextColumnIsConfigurable() throws Exception {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message stack { required binary content (STRING); required binary text (STRING); }");
    Path file = scratch.resolve("code.parquet");
    try (ParquetWriter<Group> writer = writer(file, schema)) {
      writer.write(
          new SimpleGroupFactory(schema).newGroup().append("content", "x = 1").append("text", "t"));
    }

    CollectedRecords byContent = new CollectedRecords(1 << 20);
    ParquetDocuments.read(file, "file:code.parquet", "content", byContent);
    CollectedRecords byMissing = new CollectedRecords(1 << 20);
    ParquetDocuments.read(file, "file:code.parquet", "body", byMissing);

    assertThat(byContent.documents)
        .singleElement()
        .satisfies(
            document -> {
              assertThat(StandardCharsets.UTF_8.decode(document.getBody()).toString())
                  .isEqualTo("x = 1");
              assertThat(document.getMetadata()).containsEntry("text", "t");
            });
    assertThat(byMissing.documents).isEmpty();
    assertThat(byMissing.rejected)
        .singleElement()
        .extracting(CollectedRecords.Rejected::reason)
        .isEqualTo(RejectReason.NOT_A_DOCUMENT);
  }

  @Test
  void aFileThatIsNotParquetIsOneRejection() throws Exception {
    Path file = scratch.resolve("fake.parquet");
    Files.writeString(file, "PAR1 and then nothing a Parquet reader wants");

    CollectedRecords records = new CollectedRecords(1 << 20);
    ParquetDocuments.read(file, "file:fake.parquet", "text", records);

    assertThat(records.documents).isEmpty();
    assertThat(records.rejected)
        .singleElement()
        .extracting(CollectedRecords.Rejected::reason)
        .isEqualTo(RejectReason.MALFORMED_PARQUET);
  }

  /** Parquet's example writer on a local file, with no Hadoop configuration. */
  static ParquetWriter<Group> writer(Path file, MessageType schema) throws Exception {
    return ExampleParquetWriter.builder(new LocalOutputFile(file))
        .withConf(new PlainParquetConfiguration())
        .withType(schema)
        .build();
  }
}
