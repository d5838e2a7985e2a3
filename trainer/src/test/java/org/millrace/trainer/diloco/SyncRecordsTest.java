package org.millrace.trainer.diloco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class SyncRecordsTest {

  private static ConsumerRecord<byte[], byte[]> asRead(ProducerRecord<byte[], byte[]> sent) {
    return new ConsumerRecord<>(
        sent.topic(),
        0,
        0,
        0,
        TimestampType.CREATE_TIME,
        0,
        0,
        sent.key(),
        sent.value(),
        sent.headers(),
        Optional.empty());
  }

  @Test
  void aPseudoGradientIsCutIntoChunksThatRoundTripExactly() {
    float[] values = new float[SyncRecords.VALUES_PER_CHUNK * 2 + 3];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) Math.sin(i) * 1e-3f;
    }
    values[values.length - 1] = Float.MIN_VALUE;

    List<ProducerRecord<byte[], byte[]>> records =
        SyncRecords.pseudoGradient("sync", "run", 4, 1, 99, PseudoGradientEncoding.FP32, values);

    assertThat(records).hasSize(3);
    assertThat(records.get(0).value()).hasSize(4 * SyncRecords.VALUES_PER_CHUNK);
    RoundMembership round = new RoundMembership("run", 4, 2, 1, values.length);
    for (ProducerRecord<byte[], byte[]> record : records) {
      SyncRecord read = SyncRecords.read(asRead(record));
      assertThat(read.runId()).isEqualTo("run");
      assertThat(read.round()).isEqualTo(4);
      round.accept(read);
    }
    assertThat(round.contributors()).containsExactly(1);
    round.accept(SyncRecords.read(asRead(SyncRecords.roundClose("sync", "run", 4, 0))));
    assertThat(round.meanPseudoGradient()).isEqualTo(values);
  }

  @Test
  void aRecordThatIsNotASyncRecordIsRefusedWithTheReason() {
    ProducerRecord<byte[], byte[]> foreign =
        new ProducerRecord<>("sync", null, "run".getBytes(), new byte[3], new RecordHeaders());
    assertThatThrownBy(() -> SyncRecords.read(asRead(foreign)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no header millrace.kind");

    ProducerRecord<byte[], byte[]> chunk =
        SyncRecords.pseudoGradient(
                "sync", "run", 1, 0, 1, PseudoGradientEncoding.FP32, new float[] {1f, 2f})
            .get(0);
    ProducerRecord<byte[], byte[]> torn =
        new ProducerRecord<>("sync", null, chunk.key(), new byte[5], chunk.headers());
    assertThatThrownBy(() -> SyncRecords.read(asRead(torn)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5 bytes are not a whole number of fp32 values");
  }

  @Test
  void inFp16AChunkHasHalfTheBytesAndEveryValueRoundedToTheNearestHalf() {
    float[] values = {1f / 3, -2.5e-3f, 7e-8f, 65519f, 1e-9f};

    List<ProducerRecord<byte[], byte[]>> records =
        SyncRecords.pseudoGradient("sync", "run", 1, 0, 5, PseudoGradientEncoding.FP16, values);

    assertThat(records.get(0).value()).hasSize(2 * values.length);
    SyncRecord.PseudoGradientChunk read =
        (SyncRecord.PseudoGradientChunk) SyncRecords.read(asRead(records.get(0)));
    assertThat(read.values())
        .containsExactly(
            0.333251953125f, // 0x3555
            -0.0025005340576171875f, // 0x991f
            5.960464477539063e-8f, // 2^-24, the smallest subnormal
            65504f, // the largest half
            0f);
  }
}
