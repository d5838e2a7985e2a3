package org.millrace.processors.dedup;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.millrace.schemas.DuplicateKind;

/**
 * {@link BucketAnswer}s on the {@code text-answers} and {@code bucket-answers} topics, in the
 * {@link Wire} format.
 */
final class BucketAnswerSerde {

  private BucketAnswerSerde() {}

  static Serde<BucketAnswer> create() {
    return Serdes.serdeFrom(
        (topic, answer) ->
            answer == null
                ? null
                : Wire.encode(
                    out -> {
                      out.writeInt(answer.askerPartition());
                      out.writeInt(answer.answered());
                      Wire.writeString(out, answer.kind() == null ? null : answer.kind().name());
                      Wire.writeString(out, answer.originalId());
                      out.writeDouble(answer.similarity());
                    }),
        (topic, bytes) ->
            bytes == null
                ? null
                : Wire.decode(
                    bytes,
                    "bucket answer",
                    in -> {
                      int askerPartition = in.readInt();
                      int answered = in.readInt();
                      String kind = Wire.readString(in);
                      return new BucketAnswer(
                          askerPartition,
                          answered,
                          kind == null ? null : DuplicateKind.valueOf(kind),
                          Wire.readString(in),
                          in.readDouble());
                    }));
  }
}
