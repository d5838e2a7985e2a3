package org.millrace.processors.dedup;

import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
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
import org.millrace.schemas.DedupPart;

/**
 * The dedup stage: docs.clean → ask buckets → answer per bucket → verdict per document →
 * docs.unique, or docs.duplicates with the original's id.
 *
 * <ol>
 *   <li>Each document asks its buckets whether a copy has been there: its content hash (exact
 *       duplicates), its normalised URL (when URL dedup is on) and one LSH bucket per band of its
 *       MinHash signature (near duplicates). Questions are re-keyed by bucket ({@code by-bucket}),
 *       so that every document asking a bucket meets in one task, in the order the documents were
 *       read.
 *   <li>{@link BucketProcessor} answers from the bucket store: the original, if any.
 *   <li>The document itself and the answers are re-keyed by document id ({@code by-document}) and
 *       {@link VerdictProcessor} waits in the pending store until all answers are in, then decides.
 * </ol>
 *
 * Every step scales with partitions: buckets and documents spread over tasks by hash. Both stores
 * are persistent RocksDB stores with changelog topics, and with exactly_once_v2 a question, its
 * answer, the store updates, the verdict and the input offsets commit together, so that every
 * document of docs.clean comes out exactly once, as unique, duplicate or rejected, across crashes.
 */
public final class DedupTopology {

  public static final String STAGE = "dedup";

  /** The metrics group of the stage's own counters (docs/dedup.md lists them). */
  public static final String METRICS_GROUP = "stream-" + DedupMetrics.SCOPE + "-metrics";

  static final String BUCKET_STORE = "dedup-buckets";
  static final String PENDING_STORE = "dedup-pending";

  private DedupTopology() {}

  public static Topology build(MillraceConfig config, String applicationId) {
    Topics topics = Topics.of(config);
    DedupSettings settings = DedupSettings.from(config);
    BucketQuestions questions = new BucketQuestions(settings);
    AvroSerde<CleanDocument> cleanSerde = AvroSerde.cleanDocument();
    AvroSerde<DedupPart> partSerde = AvroSerde.dedupPart();

    StreamsBuilder builder = Topologies.builder(config, applicationId);
    // Caching: an entry updated several times within a commit interval (a pending document, as
    // its answers arrive) reaches RocksDB and the changelog once, or not at all when deleted.
    builder.addStateStore(
        Stores.timestampedKeyValueStoreBuilder(
                Stores.persistentTimestampedKeyValueStore(BUCKET_STORE),
                Serdes.String(),
                AvroSerde.dedupBucket())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PENDING_STORE),
                Serdes.String(),
                AvroSerde.dedupPending())
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

    KStream<String, DedupPart> answers =
        documents
            .flatMap((id, document) -> questions.of(document), Named.as("ask-buckets"))
            .repartition(
                Repartitioned.with(Serdes.String(), AvroSerde.dedupProbe()).withName("by-bucket"))
            .process(
                () -> new BucketProcessor(BUCKET_STORE, settings),
                Named.as("answer-from-bucket"),
                BUCKET_STORE);
    KStream<String, DedupPart> waiting =
        documents.mapValues(
            document ->
                DedupPart.newBuilder()
                    .setDocument(document)
                    .setExpectedAnswers(questions.count(document))
                    .build(),
            Named.as("wait-for-answers"));

    Map<String, KStream<String, DedupDecision>> decisions =
        waiting
            .merge(answers, Named.as("document-and-answers"))
            .repartition(Repartitioned.with(Serdes.String(), partSerde).withName("by-document"))
            .process(() -> new VerdictProcessor(PENDING_STORE), Named.as("decide"), PENDING_STORE)
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
}
