package org.millrace.processors.dedup;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.millrace.processors.AvroRecordJudge;
import org.millrace.processors.JudgeProcessor;
import org.millrace.processors.Topologies;
import org.millrace.processors.Verdict;
import org.millrace.processors.Verdicts;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.DedupAnswer;
import org.millrace.schemas.DedupQuestion;
import org.millrace.schemas.DedupRaceAnswer;

/**
 * The dedup stage: docs.clean → ask the content hash → ask URL and LSH buckets (the first of each
 * text only) → (after a race only) ask the later copies → verdict, in the task that read the
 * document → docs.unique, or docs.duplicates with the original's id.
 *
 * <ol>
 *   <li>{@link AskProcessor} keeps each document in its task's stores and sends one question, its
 *       content hash, through {@code text-questions} to the task that holds that bucket.
 *   <li>{@link BucketProcessor} answers from the bucket store; the answer comes back through {@code
 *       text-answers} to the partition the document came from ({@link BucketRouting}).
 *   <li>{@link VerdictProcessor}: a copy of an earlier text is an exact duplicate; the first of its
 *       text asks its URL and LSH buckets, one question record per partition that holds some of
 *       them ({@code bucket-questions}, answered through {@code bucket-answers}), and is then
 *       unique or a URL or near duplicate.
 *   <li>Only after a race (a copy later in record time reached a bucket first): {@link
 *       RaceQuestionProcessor} answers, in the later copy's task, whether it found an earlier
 *       original of its own ({@code race-questions}, {@code race-answers}), and {@link
 *       RaceVerdictProcessor} makes it the asker's original if it did not.
 * </ol>
 *
 * Every step scales with partitions: buckets spread over tasks by hash, and each document stays in
 * the task of its input partition. The stores are persistent RocksDB stores with changelog topics,
 * and with exactly_once_v2 a question, its answer, the store updates, the verdict and the input
 * offsets commit together, so that every document of docs.clean comes out exactly once, as unique,
 * duplicate or rejected, across crashes.
 */
public final class DedupTopology {

  public static final String STAGE = "dedup";

  /** The metrics group of the stage's own counters (docs/dedup.md lists them). */
  public static final String METRICS_GROUP = "stream-" + DedupMetrics.SCOPE + "-metrics";

  /** Bucket → its members: the content hashes, URLs and LSH bands seen. */
  public static final String BUCKET_STORE = "dedup-buckets";

  /** Document id → the document, while its verdict is out. */
  public static final String DOCUMENT_STORE = "dedup-documents";

  /** Document id → the answers so far, while its verdict is out. */
  public static final String PENDING_STORE = "dedup-pending";

  /** Input offset → document id, while its verdict is out: the order second questions leave in. */
  public static final String ORDER_STORE = "dedup-order";

  /**
   * Document id → its record time, for each document no bucket named an earlier original of: what
   * an earlier copy that reaches its buckets after it asks about (docs/dedup.md, races).
   */
  public static final String ORIGINAL_STORE = "dedup-originals";

  /** The stores, for those that measure them. */
  public static final List<String> STORES =
      List.of(BUCKET_STORE, DOCUMENT_STORE, PENDING_STORE, ORDER_STORE, ORIGINAL_STORE);

  private DedupTopology() {}

  public static Topology build(MillraceConfig config, String applicationId) {
    Topics topics = Topics.of(config);
    DedupSettings settings = DedupSettings.from(config);
    BucketQuestions questions = new BucketQuestions(settings);
    AvroSerde<CleanDocument> cleanSerde = AvroSerde.cleanDocument();

    // A task reads docs.clean and the answers to its documents' questions. Kafka Streams would
    // interleave them by timestamp, and wait for an answer it knows is on its way before taking
    // the next document; answers carry their documents' timestamps, so the documents would then
    // go through a few per commit, in lockstep with the round trips. Nothing here depends on that
    // interleaving (second questions keep the input's order through the order store): never wait.
    StreamsBuilder builder =
        Topologies.builder(
            config, applicationId, Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L));
    // Caching: an entry updated several times within a commit interval (the answers so far)
    // reaches RocksDB and the changelog once, or not at all when deleted.
    builder.addStateStore(
        Stores.timestampedKeyValueStoreBuilder(
                Stores.persistentTimestampedKeyValueStore(BUCKET_STORE),
                Serdes.String(),
                AvroSerde.dedupBucket())
            .withCachingEnabled());
    // the document apart from its answers: written once, however many times they change
    builder.addStateStore(
        Stores.timestampedKeyValueStoreBuilder(
                Stores.persistentTimestampedKeyValueStore(DOCUMENT_STORE),
                Serdes.String(),
                cleanSerde)
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PENDING_STORE),
                Serdes.String(),
                AvroSerde.dedupPending())
            .withCachingEnabled());
    // Big-endian offsets: RocksDB's byte order is the input's order. Not cached: a range scan over
    // a cached store copies the cache's keys, once per answer here.
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ORDER_STORE), Serdes.Long(), Serdes.String()));
    // written once per original, read only when an earlier copy raced it
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ORIGINAL_STORE), Serdes.String(), Serdes.Long())
            .withCachingEnabled());

    KStream<String, Verdict<CleanDocument>> decoded =
        builder.stream(
                topics.clean(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("clean-documents"))
            .process(
                () ->
                    new JudgeProcessor<>(
                        new AvroRecordJudge<>(
                            STAGE,
                            cleanSerde,
                            config.getInt(MillraceConfig.REJECTED_PAYLOAD_MAX_BYTES))),
                Named.as("decode"));
    KStream<String, CleanDocument> documents =
        Verdicts.rejectToTopicAndPassOn("decode", decoded, topics.rejected());

    // The first question, the content hash, and its answer. The document's two questions travel
    // on topics of their own: the second is asked where the first's answer arrives, and a stream
    // cannot flow back into a topic upstream of itself.
    KStream<String, DedupAnswer> textAnswers =
        ask(
            documents.process(
                () -> new AskProcessor(questions),
                Named.as("ask-content-hash"),
                DOCUMENT_STORE,
                PENDING_STORE,
                ORDER_STORE),
            "text",
            settings);
    Map<String, KStream<String, DedupDecision>> afterText =
        decide(textAnswers, "decide-on-text", questions)
            .split(Named.as("text-"))
            .branch(
                (id, decision) -> decision instanceof DedupDecision.AskBuckets,
                Branched.as("ask-buckets"))
            .defaultBranch(Branched.as("decided"));

    // The second question, the URL and LSH buckets, for the first of each text.
    KStream<String, DedupAnswer> bucketAnswers =
        ask(
            afterText
                .get("text-ask-buckets")
                .mapValues(
                    decision -> ((DedupDecision.AskBuckets) decision).question(),
                    Named.as("bucket-question")),
            "bucket",
            settings);
    Map<String, KStream<String, DedupDecision>> afterBuckets =
        decide(bucketAnswers, "decide-on-buckets", questions)
            .split(Named.as("buckets-"))
            .branch(
                (id, decision) -> decision instanceof DedupDecision.AskRace,
                Branched.as("ask-race"))
            .branch(
                (id, decision) -> decision instanceof DedupDecision.AnswerRace,
                Branched.as("answer-race"))
            .defaultBranch(Branched.as("decided"));

    // Only after a race: a document that met later copies of itself that reached its buckets
    // first asks each copy's task whether the copy found an earlier original of its own; the
    // answers come from that task's original store, or from the copy's verdict once its buckets
    // have answered.
    KStream<String, DedupRaceAnswer> raceAnswers =
        afterBuckets
            .get("buckets-ask-race")
            .mapValues(
                decision -> ((DedupDecision.AskRace) decision).question(),
                Named.as("race-question"))
            .repartition(
                Repartitioned.with(Serdes.String(), AvroSerde.dedupRaceQuestion())
                    .withName("race-questions")
                    .withStreamPartitioner(BucketRouting.raceQuestions()))
            .process(
                () -> new RaceQuestionProcessor(settings),
                Named.as("answer-race"),
                PENDING_STORE,
                ORIGINAL_STORE)
            .merge(
                afterBuckets
                    .get("buckets-answer-race")
                    .mapValues(
                        decision -> ((DedupDecision.AnswerRace) decision).answer(),
                        Named.as("race-answer-on-verdict")),
                Named.as("race-answer"));
    KStream<String, DedupDecision> afterRaces =
        raceAnswers
            .repartition(
                Repartitioned.with(Serdes.String(), AvroSerde.dedupRaceAnswer())
                    .withName("race-answers")
                    .withStreamPartitioner(BucketRouting.raceAnswers()))
            .process(
                RaceVerdictProcessor::new,
                Named.as("decide-on-race"),
                DOCUMENT_STORE,
                PENDING_STORE);

    Map<String, KStream<String, DedupDecision>> decisions =
        afterText
            .get("text-decided")
            .merge(afterBuckets.get("buckets-decided"), Named.as("decisions"))
            .merge(afterRaces, Named.as("all-decisions"))
            .split(Named.as("dedup-"))
            .branch(
                (id, decision) -> decision instanceof DedupDecision.Unique, Branched.as("unique"))
            .defaultBranch(Branched.as("duplicate"));
    decisions
        .get("dedup-unique")
        .mapValues(
            decision -> ((DedupDecision.Unique) decision).document(), Named.as("unique-document"))
        .to(
            topics.unique(),
            Produced.with(Serdes.String(), cleanSerde).withName("unique-documents"));
    decisions
        .get("dedup-duplicate")
        .mapValues(
            decision -> ((DedupDecision.Duplicate) decision).record(), Named.as("duplicate-record"))
        .to(
            topics.duplicates(),
            Produced.with(Serdes.String(), AvroSerde.duplicateRecord()).withName("duplicates"));
    return builder.build();
  }

  /**
   * Assembles verdicts from answers, in the tasks that hold the documents ({@link
   * VerdictProcessor}).
   */
  private static KStream<String, DedupDecision> decide(
      KStream<String, DedupAnswer> answers, String name, BucketQuestions questions) {
    return answers.process(
        () -> new VerdictProcessor(questions),
        Named.as(name),
        DOCUMENT_STORE,
        PENDING_STORE,
        ORDER_STORE,
        ORIGINAL_STORE);
  }

  /**
   * Sends questions through {@code <name>-questions} to the tasks that hold their buckets, and
   * their answers back through {@code <name>-answers} to the partitions their documents came from.
   */
  private static KStream<String, DedupAnswer> ask(
      KStream<String, DedupQuestion> questions, String name, DedupSettings settings) {
    return questions
        .repartition(
            Repartitioned.with(Serdes.String(), AvroSerde.dedupQuestion())
                .withName(name + "-questions")
                .withStreamPartitioner(BucketRouting.questions(settings.lsh())))
        .process(() -> new BucketProcessor(settings), Named.as("answer-" + name), BUCKET_STORE)
        .repartition(
            Repartitioned.with(Serdes.String(), AvroSerde.dedupAnswer())
                .withName(name + "-answers")
                .withStreamPartitioner(BucketRouting.answers()));
  }
}
