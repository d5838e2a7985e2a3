package org.millrace.producers.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AcknowledgedRecordsTest {

  @Test
  void theWatermarkRisesOnlyOverAnUnbrokenRun() {
    AcknowledgedRecords acknowledged = new AcknowledgedRecords(0, List.of());

    acknowledged.acknowledge(1);
    acknowledged.acknowledge(3);
    assertThat(acknowledged.watermark()).isZero();
    acknowledged.acknowledge(0);
    assertThat(acknowledged.watermark()).isEqualTo(2);
    assertThat(acknowledged.aboveWatermark()).containsExactly(3L);
    assertThat(acknowledged.contains(2)).isFalse();
    assertThat(acknowledged.contains(3)).isTrue();
  }

  @Test
  void aRecordThatFailedIsTheOnlyOneAResumedFeedSendsAgain() {
    // Records 0..4 sent; 2 failed (never acknowledged); the others were.
    AcknowledgedRecords acknowledged = new AcknowledgedRecords(0, List.of());
    for (long record : new long[] {0, 1, 3, 4}) {
      acknowledged.acknowledge(record);
    }
    AcknowledgedRecords resumed =
        new AcknowledgedRecords(acknowledged.watermark(), acknowledged.aboveWatermark());

    assertThat(List.of(0L, 1L, 2L, 3L, 4L, 5L))
        .filteredOn(r -> !resumed.contains(r))
        .containsExactly(2L, 5L);
  }
}
