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
    assertThatThrownBy(() -> new LearningRateSchedule(1e-3, 1e-4, 10, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("warmupSteps < decaySteps");
  }
}
