package org.millrace.processors.dedup;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * {@link BucketQuestion}s on the {@code text-questions} and {@code bucket-questions} topics, in the
 * {@link Wire} format.
 */
final class BucketQuestionSerde {

  private BucketQuestionSerde() {}

  static Serde<BucketQuestion> create() {
    return Serdes.serdeFrom(
        (topic, question) ->
            question == null
                ? null
                : Wire.encode(
                    out -> {
                      Wire.writeString(out, question.documentId());
                      out.writeInt(question.askerPartition());
                      Wire.writeString(out, question.contentHash());
                      Wire.writeString(out, question.urlKey());
                      int[] signature = question.signature();
                      out.writeInt(signature == null ? -1 : signature.length);
                      if (signature != null) {
                        for (int value : signature) {
                          out.writeInt(value);
                        }
                      }
                    }),
        (topic, bytes) ->
            bytes == null
                ? null
                : Wire.decode(
                    bytes,
                    "bucket question",
                    in -> {
                      String documentId = Wire.readString(in);
                      int askerPartition = in.readInt();
                      String contentHash = Wire.readString(in);
                      String urlKey = Wire.readString(in);
                      int length = in.readInt();
                      int[] signature = length < 0 ? null : new int[length];
                      for (int i = 0; i < length; i++) {
                        signature[i] = in.readInt();
                      }
                      return new BucketQuestion(
                          documentId, askerPartition, contentHash, urlKey, signature);
                    }));
  }
}
