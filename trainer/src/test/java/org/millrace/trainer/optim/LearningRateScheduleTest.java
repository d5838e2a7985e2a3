package org.millrace.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

  private final LearningRateSchedule schedule = new LearningRateSchedule(6e-4, 6e-5, 9, 109);

  @Test
  void warmsUpLinearlyToTheMaximum() {
    assertThat(schedule.lr(0)).isCloseTo(6e-4 / 10, within(1e-12));
    for (int step = 1; step < 9; step++) {
      assertThat(schedule.lr(step) - schedule.lr(step - 1)).isCloseTo(6e-4 / 10, within(1e-12));
    }
    assertThat(schedule.lr(9)).isEqualTo(6e-4);
  }

  @Test
  void decaysAlongACosineToTheMinimumAndStaysThere() {
    assertThat(schedule.lr(59)).as("half way").isCloseTo((6e-4 + 6e-5) / 2, within(1e-12));
    assertThat(schedule.lr(60)).isLessThan(schedule.lr(59));
    assertThat(schedule.lr(109)).isCloseTo(6e-5, within(1e-15));
    assertThat(schedule.lr(110)).isEqualTo(6e-5);
    assertThat(schedule.lr(1_000_000)).isEqualTo(6e-5);
  }

  @Test
  void rejectsInconsistentSettings() {
    assertThatThrownBy(() -> new LearningRateSchedule(1e-4, 1e-3, 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minLr <= maxLr");
    assertThatThrownBy(() -> new LearningRateSchedule(1e-3, 1e-4, 10, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("warmupSteps <= decayStart <= decayEnd");
    assertThatThrownBy(() -> LearningRateSchedule.warmupStableDecay(1e-3, 1e-4, 10, 100, 0.95))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("warmupSteps <= decayStart");
    assertThatThrownBy(() -> LearningRateSchedule.warmupStableDecay(1e-3, 1e-4, 10, 100, 0))
        .hasMessageContaining("decayFraction must be in (0, 1]");
  }

  @Test
  void theFourArgumentScheduleIsTheCosine() {
    assertThat(new LearningRateSchedule(6e-4, 6e-5, 9, 109))
        .isEqualTo(LearningRateSchedule.cosine(6e-4, 6e-5, 9, 109))
        .isEqualTo(
            new LearningRateSchedule(6e-4, 6e-5, 9, 9, 109, LearningRateSchedule.Decay.COSINE));
  }

  @Test
  void aConstantScheduleWarmsUpThenNeverChanges() {
    LearningRateSchedule constant = LearningRateSchedule.constant(3e-4, 4);

    assertThat(constant.lr(0)).isCloseTo(3e-4 / 5, within(1e-15));
    assertThat(constant.lr(3)).isCloseTo(3e-4 * 4 / 5, within(1e-15));
    for (long step : new long[] {4, 5, 1_000, 1_000_000_000_000L, Long.MAX_VALUE - 1}) {
      assertThat(constant.lr(step)).as("step %d", step).isEqualTo(3e-4);
    }
    assertThat(LearningRateSchedule.constant(1e-3, 0).lr(0)).isEqualTo(1e-3);
  }

  @Test
  void warmupStableDecayHoldsThePeakThenDecaysLinearlyOverTheLastFraction() {
    // 1,000 steps: warm-up over 10, the peak until 800, then a straight line to the floor at 1,000
    LearningRateSchedule wsd = LearningRateSchedule.warmupStableDecay(1e-3, 1e-5, 10, 1000, 0.2);

    assertThat(wsd.decayStart()).isEqualTo(800);
    assertThat(wsd.decayEnd()).isEqualTo(1000);
    assertThat(wsd.lr(0)).isCloseTo(1e-3 / 11, within(1e-15));
    for (long step = 10; step <= 800; step += 10) {
      assertThat(wsd.lr(step)).as("stable at step %d", step).isEqualTo(1e-3);
    }
    assertThat(wsd.lr(900)).as("half way down").isCloseTo((1e-3 + 1e-5) / 2, within(1e-15));
    for (long step = 801; step < 1000; step++) {
      double slope = wsd.lr(step) - wsd.lr(step - 1);
      assertThat(slope).as("step %d", step).isCloseTo(-(1e-3 - 1e-5) / 200, within(1e-15));
    }
    assertThat(wsd.lr(1000)).isEqualTo(1e-5);
    assertThat(wsd.lr(5000)).isEqualTo(1e-5);
  }
}
