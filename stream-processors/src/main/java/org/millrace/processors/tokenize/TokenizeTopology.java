package org.millrace.processors.tokenize;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.millrace.processors.AvroRecordJudge;
import org.millrace.processors.JudgeProcessor;
import org.millrace.processors.RecordJudge;
import org.millrace.processors.Topologies;
import org.millrace.processors.Verdict;
import org.millrace.processors.Verdicts;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.TokenizedDocument;
import org.millrace.schemas.reject.DocumentRejectedException;
import org.millrace.schemas.reject.Rejection;
import org.millrace.tokenizer.Tokenizer;

/**
 * The tokenize stage: docs.unique → token ids, chunked → tokens. A document the tokenizer makes
 * nothing of goes to docs.rejected.
 */
public final class TokenizeTopology {

  public static final String STAGE = "tokenize";

  private TokenizeTopology() {}

  public static Topology build(MillraceConfig config, String applicationId, Tokenizer tokenizer) {
    Topics topics = Topics.of(config);
    int rejectedPayloadMaxBytes = config.getInt(MillraceConfig.REJECTED_PAYLOAD_MAX_BYTES);
    DocumentTokenizer documentTokenizer =
        new DocumentTokenizer(
            tokenizer,
            config.getInt(TokenizeKeys.CHUNK_TOKENS),
            new DocumentSplit(config.getDouble(TokenizeKeys.VALIDATION_FRACTION)));
    RecordJudge<List<TokenizedDocument>> judge =
        tokenizing(
            new AvroRecordJudge<>(STAGE, AvroSerde.cleanDocument(), rejectedPayloadMaxBytes),
            documentTokenizer,
            rejectedPayloadMaxBytes);

    StreamsBuilder builder = Topologies.builder(config, applicationId);
    KStream<String, Verdict<List<TokenizedDocument>>> verdicts =
        builder.stream(
                topics.unique(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("unique-documents"))
            .process(
                () -> new JudgeProcessor<>(judge),
                Named.as(STAGE),
                Topologies.withStableIdentity(builder));
    Verdicts.rejectToTopicAndPassOn(STAGE, verdicts, topics.rejected())
        .flatMapValues(chunks -> chunks, Named.as("chunks"))
        .to(
            topics.tokens(),
            Produced.with(Serdes.String(), AvroSerde.tokenizedDocument()).withName("tokens"));
    return builder.build();
  }

  /** Decodes a unique document, then tokenizes it; either step may reject the record. */
  static RecordJudge<List<TokenizedDocument>> tokenizing(
      RecordJudge<CleanDocument> decoder,
      DocumentTokenizer documentTokenizer,
      int rejectedPayloadMaxBytes) {
    return (key, value, origin) -> {
      Verdict<CleanDocument> decoded = decoder.judge(key, value, origin);
      if (decoded instanceof Verdict.Reject<CleanDocument> rejected) {
        return new Verdict.Reject<>(rejected.id(), rejected.rejected());
      }
      CleanDocument document = ((Verdict.Pass<CleanDocument>) decoded).value();
      try {
        return new Verdict.Pass<>(document.getId(), documentTokenizer.tokenize(document));
      } catch (DocumentRejectedException e) {
        return new Verdict.Reject<>(
            document.getId(),
            Rejection.ofRecord(
                document.getId(),
                STAGE,
                e.reason(),
                e.detail(),
                origin,
                value,
                rejectedPayloadMaxBytes));
      }
    };
  }
}
