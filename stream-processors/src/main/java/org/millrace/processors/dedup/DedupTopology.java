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
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
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

/**
 * The dedup stage: docs.clean → re-key by content hash → keep the first copy of each text →
 * docs.unique, and every later copy to docs.duplicates with the id of the first.
 *
 * <p>The first-seen hashes live in a persistent RocksDB store backed by a changelog topic, so a
 * restarted instance still knows every text it has seen; with exactly_once_v2 the store update, the
 * output record and the input offset commit together.
 */
public final class DedupTopology {

  public static final String APPLICATION_ID = "millrace-dedup";
  public static final String STAGE = "dedup";
  static final String FIRST_ID_BY_HASH_STORE = "first-id-by-content-hash";

  private DedupTopology() {}

  public static Topology build(MillraceConfig config) {
    Topics topics = Topics.of(config);
    AvroSerde<CleanDocument> cleanSerde = AvroSerde.cleanDocument();
    StoreBuilder<KeyValueStore<String, String>> firstIdByHash =
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(FIRST_ID_BY_HASH_STORE),
            Serdes.String(),
            Serdes.String());

    StreamsBuilder builder = Topologies.builder(config, APPLICATION_ID);
    builder.addStateStore(firstIdByHash);

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

    Map<String, KStream<String, DedupDecision>> decisions =
        Verdicts.rejectToTopicAndPassOn("decode", decoded, topics.rejected())
            .selectKey(
                (id, document) -> ContentHash.of(document.getText()),
                Named.as("key-by-content-hash"))
            .repartition(
                Repartitioned.with(Serdes.String(), cleanSerde).withName("by-content-hash"))
            .process(
                () -> new FirstCopyProcessor(FIRST_ID_BY_HASH_STORE),
                Named.as("keep-first-copy"),
                FIRST_ID_BY_HASH_STORE)
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
