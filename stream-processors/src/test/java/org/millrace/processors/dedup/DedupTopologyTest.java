package org.millrace.processors.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.processors.Stages;
import org.millrace.processors.TopologyDrivers;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.PseudoText;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.DedupAnswer;
import org.millrace.schemas.DedupBucket;
import org.millrace.schemas.DedupBucketMember;
import org.millrace.schemas.DedupQuestion;
import org.millrace.schemas.DuplicateKind;
import org.millrace.schemas.DuplicateRecord;
import org.millrace.schemas.RejectedDocument;

class DedupTopologyTest {

  private static final MillraceConfig CONFIG = MillraceConfig.of(Map.of());
  private static final Topics TOPICS = Topics.of(CONFIG);

  @TempDir Path stateDir;
  private int instances;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> clean;
  private TestOutputTopic<String, CleanDocument> unique;
  private TestOutputTopic<String, DuplicateRecord> duplicates;
  private TestOutputTopic<String, RejectedDocument> rejected;

  @BeforeEach
  void start() {
    start(CONFIG);
  }

  private void restart(MillraceConfig config) {
    driver.close();
    start(config);
  }

  private void start(MillraceConfig config) {
    driver =
        TopologyDrivers.driver(
            DedupTopology.build(config, Stages.DEDUP.applicationId()),
            config,
            Stages.DEDUP.applicationId(),
            stateDir.resolve(String.valueOf(++instances)));
    clean = TopologyDrivers.input(driver, TOPICS.clean());
    unique = TopologyDrivers.output(driver, TOPICS.unique(), AvroSerde.cleanDocument());
    duplicates = TopologyDrivers.output(driver, TOPICS.duplicates(), AvroSerde.duplicateRecord());
    rejected = TopologyDrivers.output(driver, TOPICS.rejected(), AvroSerde.rejectedDocument());
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
  void ofExactCopiesTheFirstToArriveIsTheOriginalWhateverTheirTimestamps() {
    // an original held up on a stalled partition arrives after its copies, with an older
    // timestamp: by timestamps each copy would have been judged without the other and all kept
    pipe(document("late", "Arrived last, written first."), 3_000);
    pipe(document("older", "Arrived last, written first."), 2_000);
    pipe(document("oldest", "Arrived last, written first."), 1_000);

    assertThat(unique.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("late");
    assertThat(duplicates.readValuesToList())
        .extracting(DuplicateRecord::getDuplicateId, DuplicateRecord::getOriginalId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("older", "late"),
            org.assertj.core.groups.Tuple.tuple("oldest", "late"));
  }

  @Test
  void onlyTheFirstOfATextAsksItsLshBucketsSoNoTextIsANearCopyOfItsOwnCopy() {
    String text = PseudoText.words(300, 1);
    pipe(document("first", text), 2_000);
    pipe(document("copy", text), 1_000); // older: by record time it would precede "first"
    pipe(document("near", PseudoText.replaceWords(text, 3, 9)), 3_000);

    assertThat(unique.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("first");
    assertThat(duplicateVerdicts())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("copy", DuplicateKind.EXACT, "first"),
            org.assertj.core.groups.Tuple.tuple("near", DuplicateKind.NEAR, "first"));
    KeyValueStore<String, ValueAndTimestamp<DedupBucket>> buckets =
        driver.getTimestampedKeyValueStore(DedupTopology.BUCKET_STORE);
    List<String> lshMembers = new java.util.ArrayList<>();
    try (KeyValueIterator<String, ValueAndTimestamp<DedupBucket>> all = buckets.all()) {
      all.forEachRemaining(
          entry -> {
            if (entry.key.startsWith("b")) {
              entry.value.value().getMembers().forEach(m -> lshMembers.add(m.getDocumentId()));
            }
          });
    }
    assertThat(lshMembers).doesNotContain("copy");
    assertThat(lshMembers).filteredOn("first"::equals).hasSize(14);
  }

  // Races: a copy later in record time reaches its buckets before an earlier copy (here fed first,
  // as a stalled partition would deliver it; with one partition, each document's questions and
  // answers are all through before the next is read). The copy that arrived first has been judged,
  // and may be out in docs.unique: the earlier one, arriving second, must be its duplicate.

  @Test
  void aNearCopyThatReachesItsBucketsBeforeItsEarlierOriginalIsTheOneKept() {
    String text = PseudoText.words(300, 1);
    pipe(document("copy", PseudoText.replaceWords(text, 3, 9)), 2_000);
    pipe(document("original", text), 1_000);

    assertThat(unique.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("copy");
    assertThat(duplicateVerdicts())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("original", DuplicateKind.NEAR, "copy"));
    assertThat(metric("late-originals-total")).isPositive();
    assertThat(metric("race-questions-total")).isOne();
    assertThat(internal("race-questions", AvroSerde.dedupRaceQuestion()))
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.getDocumentId()).isEqualTo("copy");
              assertThat(q.getAskerId()).isEqualTo("original");
            });
    assertThat(internal("race-answers", AvroSerde.dedupRaceAnswer()))
        .singleElement()
        .satisfies(a -> assertThat(a.getOriginal()).isTrue());
    assertNothingLeftInFlight();
  }

  @Test
  void aUrlCopyThatReachesItsBucketBeforeItsEarlierOriginalIsTheOneKept() {
    restart(CONFIG.with(Map.of(DedupKeys.URL_ENABLED, "true")));
    pipe(document("refetched", "The page as fetched later.", "https://example.org/p"), 2_000);
    pipe(document("fetched", "The page as fetched first.", "https://example.org/p#top"), 1_000);

    assertThat(unique.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("refetched");
    assertThat(duplicateVerdicts())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("fetched", DuplicateKind.URL, "refetched"));
    assertNothingLeftInFlight();
  }

  @Test
  void ofThreeNearCopiesArrivingInReverseTimeOrderOnlyTheFirstToArriveIsKept() {
    String text = PseudoText.words(300, 1);
    pipe(document("c", text), 3_000);
    pipe(document("b", PseudoText.replaceWords(text, 3, 9)), 2_000);
    pipe(document("a", PseudoText.replaceWords(text, 4, 7)), 1_000);

    assertThat(unique.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("c");
    // a met two later copies, both originals (b found none earlier than itself): the more similar
    assertThat(duplicateVerdicts()).extracting(t -> t.toList().get(0)).containsExactly("b", "a");
    assertThat(metric("race-questions-total")).isEqualTo(3);
    assertNothingLeftInFlight();
  }

  @Test
  void aChainOfRacesEndsAtTheOneCopyKept() {
    // c ~ b ~ a, but a and c too far apart to be copies: each asks only about the next
    Line line = Line.make();
    pipe(document("c", line.first()), 3_000);
    pipe(document("b", line.middle()), 2_000);
    pipe(document("a", line.last()), 1_000);

    assertThat(unique.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("c");
    assertThat(duplicateVerdicts())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("b", DuplicateKind.NEAR, "c"),
            org.assertj.core.groups.Tuple.tuple("a", DuplicateKind.NEAR, "b"));
    assertNothingLeftInFlight();
  }

  @Test
  void aLaterCopyThatHadAnEarlierOriginalStandsForNothing() {
    // m copies p (earlier, arrived first); q copies m but not p, and reaches its buckets after m:
    // m is p's duplicate, so q is judged without it and kept beside p
    Line line = Line.make();
    pipe(document("p", line.first()), 1_000);
    pipe(document("m", line.middle()), 3_000);
    pipe(document("q", line.last()), 2_000);

    assertThat(unique.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("p", "q");
    assertThat(duplicateVerdicts())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("m", DuplicateKind.NEAR, "p"));
    assertThat(internal("race-answers", AvroSerde.dedupRaceAnswer()))
        .singleElement()
        .satisfies(answer -> assertThat(answer.getOriginal()).isFalse());
    assertNothingLeftInFlight();
  }

  private void assertNothingLeftInFlight() {
    for (String waiting :
        List.of(
            DedupTopology.DOCUMENT_STORE, DedupTopology.PENDING_STORE, DedupTopology.ORDER_STORE)) {
      try (KeyValueIterator<Object, Object> left = driver.getKeyValueStore(waiting).all()) {
        assertThat(left.hasNext())
            .as("nothing left in %s once the verdicts are out", waiting)
            .isFalse();
      }
    }
  }

  /** Three texts of which neighbours are near copies, and the ends are not. */
  private record Line(String first, String middle, String last) {
    static Line make() {
      String first = PseudoText.words(300, 1);
      String middle = PseudoText.replaceWords(first, 5, 9);
      String last = PseudoText.replaceWords(middle, 6, 7);
      assertThat(similarity(first, middle)).as("premise").isGreaterThan(0.72);
      assertThat(similarity(middle, last)).as("premise").isGreaterThan(0.72);
      assertThat(similarity(first, last)).as("premise").isLessThan(0.72);
      return new Line(first, middle, last);
    }
  }

  /** The similarity the stage estimates between two texts, with the default settings. */
  private static double similarity(String a, String b) {
    MinHash minHash = new MinHash(112);
    return MinHash.similarity(
        minHash.signature(WordShingles.of(a, 5)), minHash.signature(WordShingles.of(b, 5)));
  }

  @Test
  void aDocumentCostsOneQuestionAndOneAnswerPerAskAndPartition() {
    pipe(document("a", PseudoText.words(300, 1), "https://example.org/a"));
    restart(CONFIG.with(Map.of(DedupKeys.URL_ENABLED, "true")));
    pipe(document("a", PseudoText.words(300, 1), "https://example.org/a"));

    // one partition here: content hash, then URL and 14 bands, in one record each way
    List<DedupQuestion> first = internal("text-questions", AvroSerde.dedupQuestion());
    List<DedupAnswer> firstAnswers = internal("text-answers", AvroSerde.dedupAnswer());
    List<DedupQuestion> second = internal("bucket-questions", AvroSerde.dedupQuestion());
    List<DedupAnswer> secondAnswers = internal("bucket-answers", AvroSerde.dedupAnswer());
    assertThat(first).singleElement().satisfies(q -> assertThat(q.getContentHash()).isNotNull());
    assertThat(firstAnswers).singleElement().satisfies(a -> assertThat(a.getAnswered()).isOne());
    assertThat(second)
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.getContentHash()).isNull();
              assertThat(q.getUrlKey()).isNotNull();
              assertThat(q.getSignature().remaining()).isEqualTo(4 * 112);
            });
    assertThat(secondAnswers)
        .singleElement()
        .satisfies(a -> assertThat(a.getAnswered()).isEqualTo(15));
    assertThat(driver.producedTopicNames())
        .as("race questions and answers only after a race")
        .noneMatch(name -> name.contains("-race-"));
    assertThat(unique.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("a");
  }

  /** The records of one of the stage's internal topics, in its Avro schema. */
  private <T extends SpecificRecord> List<T> internal(String topic, AvroSerde<T> serde) {
    String name = Stages.DEDUP.applicationId() + "-" + topic + "-repartition";
    assertThat(driver.producedTopicNames()).as(name).contains(name);
    return driver.createOutputTopic(name, Serdes.String().deserializer(), serde).readValuesToList();
  }

  @Test
  void theBucketsAreKeptInAPersistentStore() {
    pipe(document("a", "Kept text."));

    KeyValueStore<String, ValueAndTimestamp<DedupBucket>> store =
        driver.getTimestampedKeyValueStore(DedupTopology.BUCKET_STORE);

    assertThat(store.get("x:" + ContentHash.of("Kept text.")).value().getMembers())
        .extracting(DedupBucketMember::getDocumentId)
        .containsExactly("a");
    assertThat(store.persistent()).isTrue();
    assertNothingLeftInFlight();
  }

  @Test
  void aNearCopyIsADuplicateOfTheOriginalWithItsEstimatedSimilarity() {
    String original = PseudoText.words(300, 1);
    pipe(document("a", original));
    pipe(document("b", PseudoText.words(300, 2)));
    pipe(document("c", PseudoText.replaceWords(original, 3, 9)));

    assertThat(unique.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("a", "b");
    List<DuplicateRecord> dups = duplicates.readValuesToList();
    assertThat(dups).hasSize(1);
    DuplicateRecord near = dups.get(0);
    assertThat(near.getDuplicateId()).isEqualTo("c");
    assertThat(near.getOriginalId()).isEqualTo("a");
    assertThat(near.getKind()).isEqualTo(DuplicateKind.NEAR);
    assertThat(near.getSimilarity()).isBetween(0.72, 0.99);
    assertThat(near.getContentHash()).isNull();
  }

  @Test
  void aCandidateBelowTheThresholdIsAFalseCandidateUnlessVerificationIsOff() {
    // one-row bands make almost any overlap a candidate: a copy with 15 of its 200 words changed
    // (about 75 of its 196 shingles: a Jaccard similarity near 0.45)
    String original = PseudoText.words(200, 1);
    String rewritten = PseudoText.replaceWords(original, 15, 5);
    Map<String, String> loose = Map.of(DedupKeys.NEAR_BANDS, "112", DedupKeys.NEAR_ROWS, "1");

    restart(CONFIG.with(loose));
    pipe(document("a", original));
    pipe(document("b", rewritten));
    assertThat(unique.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("a", "b");
    assertThat(metric("candidate-pairs-total")).isGreaterThan(0);
    assertThat(metric("false-candidates-total")).isEqualTo(metric("candidate-pairs-total"));

    Map<String, String> unverified = new java.util.HashMap<>(loose);
    unverified.put(DedupKeys.NEAR_VERIFY, "false");
    restart(CONFIG.with(unverified));
    pipe(document("a", original));
    pipe(document("b", rewritten));
    assertThat(unique.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("a");
    DuplicateRecord near = duplicates.readValuesToList().get(0);
    assertThat(near.getKind()).isEqualTo(DuplicateKind.NEAR);
    assertThat(near.getSimilarity()).isLessThan(0.72);
    assertThat(metric("false-candidates-total")).isZero();
  }

  @Test
  void withUrlDedupOnAPageSeenBeforeIsADuplicateWhateverItsText() {
    pipe(document("a", "First version of the page.", "https://example.org/page"));
    pipe(document("b", "Second version, rewritten.", "https://EXAMPLE.org/page#top"));
    assertThat(unique.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("a", "b");

    restart(CONFIG.with(Map.of(DedupKeys.URL_ENABLED, "true")));
    pipe(document("a", "First version of the page.", "https://example.org/page"));
    pipe(document("b", "Second version, rewritten.", "https://EXAMPLE.org/page#top"));
    pipe(document("c", "First version of the page.", "https://example.org/other"));

    assertThat(unique.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("a");
    assertThat(duplicateVerdicts())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("b", DuplicateKind.URL, "a"),
            org.assertj.core.groups.Tuple.tuple("c", DuplicateKind.EXACT, "a"));
  }

  @Test
  void withRetentionABucketOlderThanTheWindowIsForgotten() {
    restart(CONFIG.with(Map.of(DedupKeys.RETENTION_MS, "60000")));
    pipe(document("a", "Said once at the start."), 0);
    pipe(document("b", "Something later."), 30_000);
    pipe(document("c", "Said once at the start."), 50_000);
    pipe(document("d", "Something else, much later."), 200_000); // stream time moves on
    pipe(document("e", "Said once at the start."), 200_001);

    assertThat(duplicates.readValuesToList())
        .extracting(DuplicateRecord::getDuplicateId)
        .as("c within a minute of a; e long after")
        .containsExactly("c");
    assertThat(unique.readKeyValuesToList())
        .extracting(kv -> kv.key)
        .containsExactly("a", "b", "d", "e");
  }

  @Test
  void countsEveryVerdict() {
    String original = PseudoText.words(300, 1);
    pipe(document("a", original));
    pipe(document("b", original));
    pipe(document("c", PseudoText.replaceWords(original, 3, 9)));
    pipe(document("d", "Short and unique."));
    driver.advanceWallClockTime(java.time.Duration.ofMinutes(1));

    assertThat(metric("documents-in-total")).isEqualTo(4);
    assertThat(metric("unique-total")).isEqualTo(2);
    assertThat(metric("exact-duplicates-total")).isEqualTo(1);
    assertThat(metric("near-duplicates-total")).isEqualTo(1);
    assertThat(metric("bucket-entries")).isGreaterThan(0);
    assertThat(metric("pending-entries")).isZero();
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

  /** The duplicates written so far: (duplicate id, kind, original id). */
  private List<org.assertj.core.groups.Tuple> duplicateVerdicts() {
    return duplicates.readValuesToList().stream()
        .map(
            d ->
                org.assertj.core.groups.Tuple.tuple(
                    d.getDuplicateId(), d.getKind(), d.getOriginalId()))
        .toList();
  }

  private void pipe(CleanDocument document) {
    clean.pipeInput(document.getId().getBytes(), AvroSerde.cleanDocument().encode(document));
  }

  private void pipe(CleanDocument document, long timestamp) {
    clean.pipeInput(
        document.getId().getBytes(), AvroSerde.cleanDocument().encode(document), timestamp);
  }

  /** The sum of a dedup metric over every task. */
  private double metric(String name) {
    return driver.metrics().values().stream()
        .filter(m -> m.metricName().group().equals(DedupMetrics.GROUP))
        .filter(m -> m.metricName().name().equals(name))
        .mapToDouble(m -> ((Number) m.metricValue()).doubleValue())
        .sum();
  }

  static CleanDocument document(String id, String text) {
    return document(id, text, null);
  }

  static CleanDocument document(String id, String text, String url) {
    return CleanDocument.newBuilder().setId(id).setSource("test").setText(text).setUrl(url).build();
  }
}
