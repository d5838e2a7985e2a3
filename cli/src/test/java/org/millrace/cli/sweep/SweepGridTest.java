package org.millrace.cli.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.millrace.trainer.TrainerKeys;

class SweepGridTest {

  private final SweepGrid grid =
      new SweepGrid(List.of("tiny", "2x64", "3x96"), List.of("50k", "1M"));

  @Test
  void numbersPointsSizesFirst() {
    assertThat(grid.points())
        .containsExactly(
            new SweepPoint(0, "tiny", 50_000),
            new SweepPoint(1, "tiny", 1_000_000),
            new SweepPoint(2, "2x64", 50_000),
            new SweepPoint(3, "2x64", 1_000_000),
            new SweepPoint(4, "3x96", 50_000),
            new SweepPoint(5, "3x96", 1_000_000));
  }

  @Test
  void shardsSplitThePointsWithoutOverlapOrGap() {
    List<SweepPoint> first = grid.shard("0/4");
    assertThat(first).extracting(SweepPoint::index).containsExactly(0, 4);
    List<SweepPoint> all =
        Stream.of("0/4", "1/4", "2/4", "3/4").flatMap(shard -> grid.shard(shard).stream()).toList();
    assertThat(all).containsExactlyInAnyOrderElementsOf(grid.points());
  }

  @Test
  void aPointTrainsItsOwnRunToItsBudget() {
    SweepPoint point = grid.point(3);
    assertThat(point.runId("s")).isEqualTo("s-2x64-1000000");
    assertThat(point.steps(768)).isEqualTo(1303); // 1,000,000 / 768 = 1302.08: whole steps, over
    assertThat(point.trainerSettings("s", 768))
        .containsEntry(TrainerKeys.RUN_ID, "s-2x64-1000000")
        .containsEntry(TrainerKeys.MODEL_LAYERS, "2")
        .containsEntry(TrainerKeys.MODEL_WIDTH, "64")
        .containsEntry(TrainerKeys.MAX_STEPS, "1303")
        .containsEntry(TrainerKeys.DECAY_STEPS, "1303");
    assertThat(grid.point(0).trainerSettings("s", 768)).containsEntry(TrainerKeys.MODEL, "tiny");
  }

  @Test
  void badSpecificationsAreRefused() {
    assertThatThrownBy(() -> grid.point(6)).hasMessageContaining("points 0 to 5");
    assertThatThrownBy(() -> grid.shard("4/4")).hasMessageContaining("0 <= I < K");
    assertThatThrownBy(() -> grid.shard("x")).hasMessageContaining("expected I/K");
    assertThatThrownBy(() -> new SweepGrid(List.of("2x"), List.of("1k")))
        .hasMessageContaining("LAYERSxWIDTH");
    assertThatThrownBy(() -> new SweepGrid(List.of("tiny"), List.of("-5")))
        .hasMessageContaining("token budget '-5'");
  }
}
