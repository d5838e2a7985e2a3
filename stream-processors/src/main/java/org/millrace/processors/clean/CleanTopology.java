package org.millrace.processors.clean;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.millrace.processors.JudgeProcessor;
import org.millrace.processors.Topologies;
import org.millrace.processors.Verdict;
import org.millrace.processors.Verdicts;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.CleanDocument;

/**
 * The clean stage: docs.raw → extract and normalise the main text → quality filters → docs.clean,
 * with every refused record on docs.rejected. Stateless: it scales with the partitions of docs.raw.
 */
public final class CleanTopology {

  private CleanTopology() {}

  public static Topology build(MillraceConfig config, String applicationId) {
    Topics topics = Topics.of(config);
    DocumentCleaner cleaner = DocumentCleaner.of(config);

    StreamsBuilder builder = Topologies.builder(config, applicationId);
    KStream<String, Verdict<CleanDocument>> verdicts =
        builder.stream(
                topics.raw(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("raw-documents"))
            .process(
                () -> new JudgeProcessor<>(cleaner),
                Named.as(DocumentCleaner.STAGE),
                Topologies.withStableIdentity(builder));
    Verdicts.rejectToTopicAndPassOn(DocumentCleaner.STAGE, verdicts, topics.rejected())
        .to(
            topics.clean(),
            Produced.with(Serdes.String(), AvroSerde.cleanDocument()).withName("clean-documents"));
    return builder.build();
  }
}
