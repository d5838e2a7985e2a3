package org.millrace.processors;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.reject.Origin;
import org.millrace.schemas.reject.RejectReason;
import org.millrace.schemas.reject.Rejection;

/**
 * Decodes the records of a topic that Millrace itself writes. A record that is not what the topic
 * should hold (written by something else, or with a schema this version does not know) is rejected
 * with reason {@code malformed_avro} instead of stopping the stage.
 */
public final class AvroRecordJudge<T extends SpecificRecord> implements RecordJudge<T> {

  private final String stage;
  private final AvroSerde<T> serde;
  private final int rejectedPayloadMaxBytes;

  public AvroRecordJudge(String stage, AvroSerde<T> serde, int rejectedPayloadMaxBytes) {
    this.stage = stage;
    this.serde = serde;
    this.rejectedPayloadMaxBytes = rejectedPayloadMaxBytes;
  }

  @Override
  public Verdict<T> judge(byte[] key, byte[] value, Origin origin) {
    String id =
        key == null
            ? origin.coordinates()
            : new String(key, java.nio.charset.StandardCharsets.UTF_8);
    if (value == null) {
      return reject(id, RejectReason.EMPTY_PAYLOAD, "the record has no value", value, origin);
    }
    try {
      return new Verdict.Pass<>(id, serde.decode(value));
    } catch (SerializationException e) {
      return reject(id, RejectReason.MALFORMED_AVRO, e.getMessage(), value, origin);
    }
  }

  private Verdict<T> reject(
      String id, RejectReason reason, String detail, byte[] value, Origin origin) {
    return new Verdict.Reject<>(
        id, Rejection.ofRecord(id, stage, reason, detail, origin, value, rejectedPayloadMaxBytes));
  }
}
