package org.millrace.trainer.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionShareTest {

  private static List<TopicPartition> partitions(int count) {
    return IntStream.range(0, count).mapToObj(p -> new TopicPartition("tokens", p)).toList();
  }

  @Test
  void workerIReadsThePartitionsPWithPModKEqualToI() {
    assertThat(new PartitionShare(3, 1).of(partitions(7)))
        .containsExactly(new TopicPartition("tokens", 1), new TopicPartition("tokens", 4));

    List<TopicPartition> everyWorker = new ArrayList<>();
    for (int worker = 0; worker < 3; worker++) {
      everyWorker.addAll(new PartitionShare(3, worker).of(partitions(7)));
    }
    assertThat(everyWorker).containsExactlyInAnyOrderElementsOf(partitions(7));
    assertThat(PartitionShare.ALL.of(partitions(7))).isEqualTo(partitions(7));
  }

  @Test
  void moreWorkersThanPartitionsIsRefused() {
    assertThatThrownBy(() -> new PartitionShare(4, 0).of(partitions(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4 workers cannot share 3 partitions of tokens")
        .hasMessageContaining("topics.partitions");
  }
}
