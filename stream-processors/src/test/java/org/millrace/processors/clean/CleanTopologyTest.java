package org.millrace.processors.clean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.millrace.processors.TopologyDrivers.utf8;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.processors.Stages;
import org.millrace.processors.TopologyDrivers;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.RejectedDocument;

class CleanTopologyTest {

  /** Extraction alone: these tests give short documents that the quality filters would drop. */
  private static final MillraceConfig CONFIG =
      MillraceConfig.of(
          Map.of(
              MillraceConfig.DOCUMENTS_MAX_BYTES,
              "2000",
              MillraceConfig.REJECTED_PAYLOAD_MAX_BYTES,
              "16",
              CleanKeys.FILTERS_CHAIN,
              ""));

  /** Three paragraphs of English prose, with an e-mail address and a public IP address. */
  static final String PROSE =
      "The river that turns the mill has run through the valley for as long as anyone can"
          + " remember. In spring it rises with the melting snow, and the miller opens every gate"
          + " to let the water through.\n\n"
          + "Most of the year the work is quiet and steady. The wheel turns, the stones grind, and"
          + " the flour is carried to the town in carts that leave before dawn. Questions about"
          + " orders go to miller@example-mill.org or to the office at 93.184.216.34 on the"
          + " valley network.\n\n"
          + "Visitors often ask how old the building is. Nobody knows for certain, but the oldest"
          + " beams were cut from oaks that grew when the town had only a church and a well.";

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
            CleanTopology.build(CONFIG, Stages.CLEAN.applicationId()),
            CONFIG,
            Stages.CLEAN.applicationId(),
            stateDir);
    raw = TopologyDrivers.input(driver, TOPICS.raw());
    clean = TopologyDrivers.output(driver, TOPICS.clean(), AvroSerde.cleanDocument());
    rejected = TopologyDrivers.output(driver, TOPICS.rejected(), AvroSerde.rejectedDocument());
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

  @Test
  void theDefaultFilterChainKeepsProseRedactedAndRejectsWithTheFiltersReason() {
    MillraceConfig filtered =
        MillraceConfig.of(Map.of(MillraceConfig.REJECTED_PAYLOAD_MAX_BYTES, "16"));
    try (TopologyTestDriver withFilters =
        TopologyDrivers.driver(
            CleanTopology.build(filtered, Stages.CLEAN.applicationId()),
            filtered,
            Stages.CLEAN.applicationId(),
            stateDir.resolve("filtered"))) {
      TestInputTopic<byte[], byte[]> input = TopologyDrivers.input(withFilters, TOPICS.raw());
      input.pipeInput(utf8("prose"), json("prose", PROSE));
      input.pipeInput(
          utf8("short"), json("short", "The cat sat on the mat and looked at the dog with care."));
      input.pipeInput(
          utf8("french"),
          json(
              "french",
              "Le moulin tourne depuis toujours au bord de la rivi\u00e8re. Au printemps, l'eau"
                  + " monte avec la fonte des neiges et le meunier ouvre toutes les vannes. Le"
                  + " reste de l'ann\u00e9e, le travail est calme et r\u00e9gulier: la roue"
                  + " tourne, les meules broient, et la farine part vers la ville avant l'aube."
                  + " Les visiteurs demandent souvent l'\u00e2ge du b\u00e2timent, mais personne"
                  + " ne le sait vraiment."));

      List<CleanDocument> kept =
          TopologyDrivers.output(withFilters, TOPICS.clean(), AvroSerde.cleanDocument())
              .readValuesToList();
      List<RejectedDocument> dropped =
          TopologyDrivers.output(withFilters, TOPICS.rejected(), AvroSerde.rejectedDocument())
              .readValuesToList();

      assertThat(kept)
          .singleElement()
          .satisfies(
              document -> {
                assertThat(document.getId()).isEqualTo("prose");
                assertThat(document.getText())
                    .doesNotContain("miller@example-mill.org")
                    .doesNotContain("93.184.216.34")
                    .contains("email@example.com")
                    .startsWith("The river that turns the mill");
                assertThat(document.getMetadata()).containsEntry("language", "en");
              });
      assertThat(dropped).extracting(RejectedDocument::getId).containsExactly("short", "french");
      RejectedDocument tooShort = dropped.get(0);
      assertThat(tooShort.getStage()).isEqualTo("clean");
      assertThat(tooShort.getFilter()).isEqualTo("gopher_quality");
      assertThat(tooShort.getReason()).isEqualTo("gopher_too_few_words");
      assertThat(tooShort.getMeasured()).isEqualTo(13.0);
      assertThat(tooShort.getThreshold()).isEqualTo(50.0);
      assertThat(tooShort.getOriginOffset()).isEqualTo(1L);
      assertThat(dropped.get(1).getFilter()).isEqualTo("language");
      assertThat(dropped.get(1).getReason()).isEqualTo("language_not_allowed");

      assertThat(verdicts(withFilters, "passed", "", "")).isEqualTo(1.0);
      assertThat(verdicts(withFilters, "rejected", "gopher_too_few_words", "gopher_quality"))
          .isEqualTo(1.0);
      assertThat(verdicts(withFilters, "rejected", "language_not_allowed", "language"))
          .isEqualTo(1.0);
    }
  }

  /** The clean stage's verdict counter (VerdictCounter) for one outcome, reason and filter. */
  private static double verdicts(
      TopologyTestDriver driver, String outcome, String reason, String filter) {
    return driver.metrics().values().stream()
        .filter(metric -> metric.metricName().name().equals("verdicts-total"))
        .filter(metric -> "clean".equals(metric.metricName().tags().get("stage")))
        .filter(metric -> outcome.equals(metric.metricName().tags().get("outcome")))
        .filter(metric -> reason.equals(metric.metricName().tags().get("reason")))
        .filter(metric -> filter.equals(metric.metricName().tags().get("filter")))
        .mapToDouble(metric -> ((Number) metric.metricValue()).doubleValue())
        .sum();
  }

  private static byte[] json(String id, String text) {
    return utf8("{\"id\": \"" + id + "\", \"text\": \"" + text.replace("\n", "\\n") + "\"}");
  }
}
