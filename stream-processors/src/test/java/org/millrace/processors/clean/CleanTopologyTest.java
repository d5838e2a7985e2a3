package org.millrace.processors.clean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.millrace.processors.TopologyDrivers.utf8;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.processors.TopologyDrivers;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.RejectedDocument;

class CleanTopologyTest {

  private static final MillraceConfig CONFIG =
      MillraceConfig.of(
          Map.of(
              MillraceConfig.DOCUMENTS_MAX_BYTES,
              "2000",
              MillraceConfig.REJECTED_PAYLOAD_MAX_BYTES,
              "16"));
  private static final Topics TOPICS = Topics.of(CONFIG);

  @TempDir Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> raw;
  private TestOutputTopic<String, CleanDocument> clean;
  private TestOutputTopic<String, RejectedDocument> rejected;

  @BeforeEach
  void start() {
    driver =
        TopologyDrivers.driver(
            CleanTopology.build(CONFIG), CONFIG, CleanTopology.APPLICATION_ID, stateDir);
    raw =
        driver.createInputTopic(TOPICS.raw(), new ByteArraySerializer(), new ByteArraySerializer());
    clean =
        driver.createOutputTopic(
            TOPICS.clean(), new StringDeserializer(), AvroSerde.cleanDocument());
    rejected =
        driver.createOutputTopic(
            TOPICS.rejected(), new StringDeserializer(), AvroSerde.rejectedDocument());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void htmlAndTextDocumentsComeOutCleanKeyedByTheirId() {
    raw.pipeInput(
        utf8("k1"),
        AvroSerde.rawDocument()
            .encode(
                RawDocument.newBuilder()
                    .setId("page-1")
                    .setUrl("https://example.org/")
                    .setSource("crawl")
                    .setContentType("text/html")
                    .setBody(
                        ByteBuffer.wrap(
                            utf8(
                                "<title>T</title><p>Cafe\u0301   au"
                                    + " lait.</p><script>x()</script><p>Second.</p>")))
                    .build()));
    raw.pipeInput(null, utf8("{\"text\": \"  plain\\r\\ntext  \"}"));

    List<KeyValue<String, CleanDocument>> out = clean.readKeyValuesToList();

    assertThat(out).hasSize(2);
    assertThat(out.get(0).key).isEqualTo("page-1");
    assertThat(out.get(0).value.getText()).isEqualTo("Caf\u00E9 au lait.\n\nSecond.");
    assertThat(out.get(0).value.getTitle()).isEqualTo("T");
    assertThat(out.get(0).value.getUrl()).isEqualTo("https://example.org/");
    assertThat(out.get(1).key).isEqualTo("docs.raw/0/1");
    assertThat(out.get(1).value.getText()).isEqualTo("plain\ntext");
    assertThat(rejected.isEmpty()).isTrue();
  }

  @Test
  void everyBadRecordIsRejectedWithItsReasonAndTheStageKeepsGoing() {
    byte[] garbage = {0x00, 0x13, (byte) 0xFF, 0x42, 0x00};
    byte[] invalidUtf8 = utf8("{\"text\": \"caf?\"}");
    invalidUtf8[12] = (byte) 0xE9;
    raw.pipeInput(null, utf8("{\"text\": oops}"));
    raw.pipeInput(null, garbage);
    raw.pipeInput(null, invalidUtf8);
    raw.pipeInput(null, new byte[0]);
    raw.pipeInput(null, utf8("{\"text\": \"" + "big ".repeat(600) + "\"}"));
    raw.pipeInput(null, utf8("{\"html\": \"<script>only()</script>  \"}"));
    raw.pipeInput(null, utf8("{\"text\": \"still here\"}"));

    List<RejectedDocument> rejections = rejected.readValuesToList();

    assertThat(rejections)
        .extracting(RejectedDocument::getReason)
        .containsExactly(
            "malformed_json",
            "binary_payload",
            "invalid_utf8",
            "empty_payload",
            "too_large",
            "empty_text");
    assertThat(rejections)
        .allSatisfy(
            rejection -> {
              assertThat(rejection.getStage()).isEqualTo("clean");
              assertThat(rejection.getOriginTopic()).isEqualTo("docs.raw");
              assertThat(rejection.getDetail()).isNotBlank();
            });
    assertThat(rejections)
        .extracting(RejectedDocument::getOriginOffset)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    RejectedDocument tooLarge = rejections.get(4);
    assertThat(tooLarge.getPayloadSize()).isEqualTo(2412);
    assertThat(tooLarge.getPayload().remaining())
        .as("payload cut to rejected.payload.max.bytes")
        .isEqualTo(16);
    assertThat(rejections.get(1).getPayload()).isEqualTo(ByteBuffer.wrap(garbage));
    assertThat(clean.readValuesToList())
        .extracting(CleanDocument::getText)
        .containsExactly("still here");
  }
}
