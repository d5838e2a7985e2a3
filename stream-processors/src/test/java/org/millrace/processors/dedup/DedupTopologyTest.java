package org.millrace.processors.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.processors.TopologyDrivers;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.DuplicateKind;
import org.millrace.schemas.DuplicateRecord;
import org.millrace.schemas.RejectedDocument;

class DedupTopologyTest {

  private static final MillraceConfig CONFIG = MillraceConfig.of(Map.of());
  private static final Topics TOPICS = Topics.of(CONFIG);

  @TempDir Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> clean;
  private TestOutputTopic<String, CleanDocument> unique;
  private TestOutputTopic<String, DuplicateRecord> duplicates;
  private TestOutputTopic<String, RejectedDocument> rejected;

  @BeforeEach
  void start() {
    driver =
        TopologyDrivers.driver(
            DedupTopology.build(CONFIG), CONFIG, DedupTopology.APPLICATION_ID, stateDir);
    clean =
        driver.createInputTopic(
            TOPICS.clean(), new ByteArraySerializer(), new ByteArraySerializer());
    unique =
        driver.createOutputTopic(
            TOPICS.unique(), new StringDeserializer(), AvroSerde.cleanDocument());
    duplicates =
        driver.createOutputTopic(
            TOPICS.duplicates(), new StringDeserializer(), AvroSerde.duplicateRecord());
    rejected =
        driver.createOutputTopic(
            TOPICS.rejected(), new StringDeserializer(), AvroSerde.rejectedDocument());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void theFirstCopyOfATextGoesOnAndLaterCopiesAreDuplicatesOfIt() {
    pipe(document("a", "To be, or not to be."));
    pipe(document("b", "Something else entirely."));
    pipe(document("c", "To be,  or not\nto be."));
    pipe(document("d", "To be, or not to be."));

    List<KeyValue<String, CleanDocument>> uniques = unique.readKeyValuesToList();
    List<KeyValue<String, DuplicateRecord>> dups = duplicates.readKeyValuesToList();

    assertThat(uniques).extracting(kv -> kv.key).containsExactly("a", "b");
    assertThat(dups).extracting(kv -> kv.key).containsExactly("c", "d");
    assertThat(dups)
        .allSatisfy(
            kv -> {
              assertThat(kv.value.getOriginalId()).isEqualTo("a");
              assertThat(kv.value.getKind()).isEqualTo(DuplicateKind.EXACT);
              assertThat(kv.value.getSimilarity()).isEqualTo(1.0);
              assertThat(kv.value.getContentHash())
                  .isEqualTo(ContentHash.of("To be, or not to be."));
            });
  }

  @Test
  void theFirstSeenHashesAreKeptInThePersistentStore() {
    pipe(document("a", "Kept text."));

    KeyValueStore<String, String> store =
        driver.getKeyValueStore(DedupTopology.FIRST_ID_BY_HASH_STORE);

    assertThat(store.get(ContentHash.of("Kept text."))).isEqualTo("a");
    assertThat(store.persistent()).isTrue();
  }

  @Test
  void aRecordThatIsNotACleanDocumentIsRejectedAndTheStageGoesOn() {
    clean.pipeInput("x".getBytes(), "{\"text\": \"json is not what docs.clean holds\"}".getBytes());
    pipe(document("y", "Fine."));

    List<RejectedDocument> rejections = rejected.readValuesToList();

    assertThat(rejections).hasSize(1);
    assertThat(rejections.get(0).getId()).isEqualTo("x");
    assertThat(rejections.get(0).getStage()).isEqualTo("dedup");
    assertThat(rejections.get(0).getReason()).isEqualTo("malformed_avro");
    assertThat(unique.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("y");
  }

  private void pipe(CleanDocument document) {
    clean.pipeInput(document.getId().getBytes(), AvroSerde.cleanDocument().encode(document));
  }

  static CleanDocument document(String id, String text) {
    return CleanDocument.newBuilder().setId(id).setSource("test").setText(text).build();
  }
}
