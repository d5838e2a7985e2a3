package org.millrace.processors.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.DedupPending;
import org.millrace.schemas.DedupRaceAnswer;
import org.millrace.schemas.DedupRaceQuestion;
import org.millrace.schemas.DuplicateKind;

/**
 * A race question that reaches the later copy's task while the copy's buckets are still answering:
 * an order the one-partition TopologyTestDriver never produces (it finishes each document before
 * the next), so the copy's task is driven here record by record, with Kafka's own processor test
 * context and real stores. The question must wait, and be answered by the copy's last bucket
 * answer, with what that answer decides.
 */
class RaceQuestionWaitTest {

  private static final DedupSettings SETTINGS = DedupSettings.from(MillraceConfig.of(Map.of()));

  private MockProcessorContext<String, Object> context;
  private KeyValueStore<String, DedupPending> pending;
  private KeyValueStore<String, Long> originals;
  private RaceQuestionProcessor raceQuestions;
  private VerdictProcessor verdicts;

  @BeforeEach
  @SuppressWarnings({"unchecked", "rawtypes"})
  void startTheCopysTask() {
    context = new MockProcessorContext<>();
    TimestampedKeyValueStore<String, CleanDocument> documents =
        Stores.timestampedKeyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(DedupTopology.DOCUMENT_STORE),
                Serdes.String(),
                AvroSerde.cleanDocument())
            .withLoggingDisabled()
            .build();
    pending = store(DedupTopology.PENDING_STORE, Serdes.String(), AvroSerde.dedupPending());
    KeyValueStore<Long, String> order =
        store(DedupTopology.ORDER_STORE, Serdes.Long(), Serdes.String());
    originals = store(DedupTopology.ORIGINAL_STORE, Serdes.String(), Serdes.Long());
    for (StateStore store : List.of(documents, pending, order, originals)) {
      store.init(context.getStateStoreContext(), store);
      context.addStateStore(store);
    }
    raceQuestions = new RaceQuestionProcessor(SETTINGS);
    raceQuestions.init((MockProcessorContext) context);
    verdicts = new VerdictProcessor(new BucketQuestions(SETTINGS));
    verdicts.init((MockProcessorContext) context);

    // the later copy: read, its content hash answered, its 14 bands asked of two tasks, one of
    // which has answered
    documents.put(
        "copy", ValueAndTimestamp.make(DedupTopologyTest.document("copy", "text"), 2_000));
    pending.put("copy", DedupPending.newBuilder().setExpectedAnswers(15).setAnswers(1 + 7).build());
  }

  @Test
  void aQuestionAboutACopyWhoseBucketsAreStillAnsweringWaitsForTheirLastAnswer() {
    raceQuestions.process(question());
    assertThat(context.forwarded())
        .as("no answer before the copy's buckets have all answered")
        .isEmpty();

    verdicts.process(new Record<>("copy", BucketAnswers.none(0, 7), 2_000));

    assertThat(raceAnswers())
        .singleElement()
        .satisfies(
            answer -> {
              assertThat(answer.getDocumentId()).isEqualTo("copy");
              assertThat(answer.getOriginal()).isTrue();
            });
    assertThat(originals.get("copy")).isEqualTo(2_000L);
    assertThat(decisions()).singleElement().isInstanceOf(DedupDecision.Unique.class);
  }

  @Test
  void aCopyWhoseLastBucketNamesAnEarlierOriginalAnswersThatItStandsForNothing() {
    raceQuestions.process(question());

    verdicts.process(
        new Record<>("copy", BucketAnswers.of(0, 7, DuplicateKind.NEAR, "older", 0.9), 2_000));

    assertThat(raceAnswers())
        .singleElement()
        .satisfies(answer -> assertThat(answer.getOriginal()).isFalse());
    assertThat(originals.get("copy")).isNull();
    assertThat(decisions()).singleElement().isInstanceOf(DedupDecision.Duplicate.class);
  }

  @Test
  void aQuestionAfterTheCopysBucketsHaveAnsweredIsAnsweredAtOnce() {
    verdicts.process(new Record<>("copy", BucketAnswers.none(0, 7), 2_000));
    context.resetForwards();

    raceQuestions.process(question());

    assertThat(context.forwarded())
        .singleElement()
        .satisfies(
            forward -> {
              assertThat(forward.record().key()).isEqualTo("earlier");
              assertThat(((DedupRaceAnswer) forward.record().value()).getOriginal()).isTrue();
            });
    assertThat(pending.get("copy")).isNull();
  }

  private static <K, V> KeyValueStore<K, V> store(String name, Serde<K> keys, Serde<V> values) {
    return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
        .withLoggingDisabled()
        .build();
  }

  private static Record<String, DedupRaceQuestion> question() {
    return new Record<>(
        "copy",
        DedupRaceQuestion.newBuilder()
            .setDocumentId("copy")
            .setPartition(0)
            .setAskerId("earlier")
            .setAskerPartition(1)
            .build(),
        1_000);
  }

  /** The race answers the copy's verdict released, addressed to the asker. */
  private List<DedupRaceAnswer> raceAnswers() {
    return context.forwarded().stream()
        .map(forward -> forward.record())
        .filter(record -> record.value() instanceof DedupDecision.AnswerRace)
        .peek(record -> assertThat(record.key()).isEqualTo("earlier"))
        .map(record -> ((DedupDecision.AnswerRace) record.value()).answer())
        .peek(answer -> assertThat(answer.getAskerPartition()).isOne())
        .toList();
  }

  private List<Object> decisions() {
    return context.forwarded().stream()
        .<Object>map(forward -> forward.record().value())
        .filter(value -> !(value instanceof DedupDecision.AnswerRace))
        .toList();
  }
}
