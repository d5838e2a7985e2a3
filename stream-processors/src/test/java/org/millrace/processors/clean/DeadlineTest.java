package org.millrace.processors.clean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeadlineTest {

  private final AtomicLong now = new AtomicLong(1_000);

  @Test
  void passesOnlyOnceTheBudgetIsSpent() {
    Deadline deadline = Deadline.after(Duration.ofMillis(5), now::get);

    now.addAndGet(Duration.ofMillis(5).toNanos());
    assertThatCode(deadline::check).doesNotThrowAnyException();
    now.incrementAndGet();
    assertThat(deadline.hasPassed()).isTrue();
    assertThatThrownBy(deadline::check)
        .isInstanceOf(Deadline.DeadlineExceededException.class)
        .hasMessageContaining("5 ms");
  }

  @Test
  void anInputStreamStopsReadingAfterTheDeadline() throws Exception {
    Deadline deadline = Deadline.after(Duration.ofMillis(1), now::get);
    DeadlineInputStream in =
        new DeadlineInputStream(new ByteArrayInputStream(new byte[] {1, 2, 3}), deadline);

    assertThat(in.read()).isEqualTo(1);
    now.addAndGet(Duration.ofMillis(2).toNanos());
    assertThatThrownBy(in::read).isInstanceOf(Deadline.DeadlineExceededException.class);
    assertThatThrownBy(() -> in.read(new byte[2], 0, 2))
        .isInstanceOf(Deadline.DeadlineExceededException.class);
  }

  @Test
  void refusesABudgetThatIsNotPositive() {
    assertThatThrownBy(() -> Deadline.after(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
