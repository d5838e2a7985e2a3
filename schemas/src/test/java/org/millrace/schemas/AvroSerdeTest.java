package org.millrace.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  private final AvroSerde<RawDocument> raw = AvroSerde.rawDocument();

  @Test
  void rawDocumentRoundTripsInSingleObjectEncoding() {
    RawDocument document =
        RawDocument.newBuilder()
            .setId("doc-1")
            .setUrl("https://example.org/a")
            .setSource("file:/corpus/a.txt")
            .setContentType("text/html; charset=UTF-8")
            .setBody(ByteBuffer.wrap("<p>héllo</p>".getBytes(StandardCharsets.UTF_8)))
            .setFetchedAt(Instant.ofEpochMilli(1_700_000_000_000L))
            .setMetadata(Map.of("lang", "fr"))
            .build();

    byte[] bytes = raw.serialize("docs.raw", document);

    assertThat(AvroSerde.hasMarker(bytes)).isTrue();
    long fingerprint =
        ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(fingerprint).isEqualTo(KnownSchemas.fingerprint(RawDocument.getClassSchema()));
    assertThat(raw.deserialize("docs.raw", bytes)).isEqualTo(document);
  }

  @Test
  void everyRecordTypeRoundTrips() {
    TokenizedDocument tokens =
        TokenizedDocument.newBuilder()
            .setDocumentId("d")
            .setChunkIndex(0)
            .setChunkCount(1)
            .setTokenCount(2)
            .setTokenWidth(2)
            .setTokens(ByteBuffer.wrap(new byte[] {1, 0, 2, 0}))
            .setTokenizerFingerprint("fp")
            .setSplit(Split.TRAIN)
            .setSource("s")
            .build();
    TrainerProgress progress =
        TrainerProgress.newBuilder()
            .setRunId("run")
            .setStep(3)
            .setLoss(4.5f)
            .setLearningRate(1e-3f)
            .setTokensPerSecond(10.0)
            .setTokensTrained(99)
            .setPositions(List.of(new PartitionPosition("tokens", 0, 7L)))
            .setPendingTokens(5)
            .setTaskScores(
                List.of(
                    TaskAccuracy.newBuilder()
                        .setTask("shakespeare-cloze")
                        .setExamples(500)
                        .setAcc(0.4)
                        .setAccStderr(0.02)
                        .setAccNorm(0.45)
                        .setChance(0.25)
                        .build()))
            .setTimestamp(Instant.ofEpochMilli(1))
            .build();
    DuplicateRecord duplicate =
        DuplicateRecord.newBuilder()
            .setDuplicateId("b")
            .setOriginalId("a")
            .setKind(DuplicateKind.EXACT)
            .setSimilarity(1.0)
            .setSource("s")
            .build();

    assertThat(AvroSerde.tokenizedDocument().decode(AvroSerde.tokenizedDocument().encode(tokens)))
        .isEqualTo(tokens);
    assertThat(AvroSerde.trainerProgress().decode(AvroSerde.trainerProgress().encode(progress)))
        .isEqualTo(progress);
    assertThat(AvroSerde.duplicateRecord().decode(AvroSerde.duplicateRecord().encode(duplicate)))
        .isEqualTo(duplicate);
  }

  @Test
  void aRecordWrittenWithVersionOneIsReadByTheCurrentSchema() throws Exception {
    Schema v1 = historySchema("RawDocument.v1.avsc");
    GenericRecord old = new GenericData.Record(v1);
    old.put("id", "old-doc");
    old.put("url", null);
    old.put("source", "file:/old.txt");
    old.put("contentType", "text/plain");
    old.put(
        "body",
        ByteBuffer.wrap("written before metadata existed".getBytes(StandardCharsets.UTF_8)));
    ByteBuffer written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);
    byte[] bytes =
        Arrays.copyOfRange(
            written.array(), written.arrayOffset(), written.arrayOffset() + written.remaining());

    RawDocument read = raw.decode(bytes);

    assertThat(KnownSchemas.fingerprint(v1))
        .isNotEqualTo(KnownSchemas.fingerprint(RawDocument.getClassSchema()));
    assertThat(read.getId()).isEqualTo("old-doc");
    assertThat(StandardCharsets.UTF_8.decode(read.getBody()).toString())
        .isEqualTo("written before metadata existed");
    assertThat(read.getMetadata()).isEmpty();
    assertThat(read.getFetchedAt()).isNull();
  }

  @Test
  void aRecordOfAnUnknownSchemaIsRefusedWithAClearMessage() throws Exception {
    Schema stranger =
        SchemaBuilder.record("Stranger")
            .namespace("elsewhere")
            .fields()
            .requiredString("x")
            .endRecord();
    GenericRecord record = new GenericData.Record(stranger);
    record.put("x", "y");
    ByteBuffer written =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), stranger).encode(record);
    byte[] bytes =
        Arrays.copyOfRange(
            written.array(), written.arrayOffset(), written.arrayOffset() + written.remaining());

    assertThatThrownBy(() -> raw.decode(bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("not a valid RawDocument record");
  }

  @Test
  void bytesThatAreNotSingleObjectEncodedAreRefused() {
    byte[] json = "{\"text\": \"hi\"}".getBytes(StandardCharsets.UTF_8);
    byte[] truncated = Arrays.copyOf(raw.encode(minimalRawDocument()), 12);

    assertThat(AvroSerde.hasMarker(json)).isFalse();
    assertThatThrownBy(() -> raw.decode(json)).isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> raw.decode(truncated)).isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> raw.decode(new byte[0])).isInstanceOf(SerializationException.class);
  }

  private static RawDocument minimalRawDocument() {
    return RawDocument.newBuilder()
        .setId("x")
        .setSource("s")
        .setContentType("text/plain")
        .setBody(ByteBuffer.wrap(new byte[] {'a', 'b', 'c'}))
        .build();
  }

  static Schema historySchema(String fileName) throws Exception {
    try (InputStream in =
        KnownSchemas.class.getResourceAsStream(KnownSchemas.HISTORY_FOLDER + fileName)) {
      return new Schema.Parser().parse(in);
    }
  }
}
