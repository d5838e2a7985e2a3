package org.millrace.trainer.diloco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.millrace.trainer.diloco.SyncRecord.PseudoGradientChunk;
import org.millrace.trainer.diloco.SyncRecord.RoundClose;

/** The round-closing rule of docs/operations.md, on records given in log order. */
class RoundMembershipTest {

  private static final String RUN = "run";

  /** Three workers, quorum two, a model of four values. */
  private static RoundMembership round2() {
    return new RoundMembership(RUN, 2, 3, 2, 4);
  }

  /** Worker {@code worker}'s pseudo-gradient for {@code round}, all four values {@code value}. */
  private static PseudoGradientChunk whole(long round, int worker, float value) {
    return new PseudoGradientChunk(
        RUN, round, worker, 7, 0, 1, 0, 4, new float[] {value, value, value, value});
  }

  /** Half {@code chunk} (0 or 1) of a pseudo-gradient sent in two chunks of two values. */
  private static PseudoGradientChunk half(int worker, long attempt, int chunk, float value) {
    return new PseudoGradientChunk(
        RUN, 2, worker, attempt, chunk, 2, 2 * chunk, 4, new float[] {value, value});
  }

  @Test
  void theRoundClosesWithTheKthContributionAndAveragesThem() {
    RoundMembership round = round2();

    assertThat(round.accept(whole(2, 2, 3f))).isFalse();
    assertThat(round.accept(whole(2, 0, 6f))).isFalse();
    assertThat(round.accept(whole(2, 1, 0f))).isTrue();

    assertThat(round.contributors()).containsExactly(2, 0, 1);
    assertThat(round.closedBy()).isNull();
    assertThat(round.meanPseudoGradient()).containsExactly(3f, 3f, 3f, 3f);
  }

  @Test
  void aContributionCountsWhenItsLastChunkIsRead() {
    RoundMembership round = round2();

    round.accept(half(0, 1, 0, 2f));
    round.accept(whole(2, 1, 5f));
    assertThat(round.contributors()).containsExactly(1);

    round.accept(half(0, 1, 1, 4f));
    assertThat(round.contributors()).containsExactly(1, 0);
    round.accept(whole(2, 2, 0f));
    // worker 0's chunks joined into (2, 2, 4, 4)
    assertThat(round.meanPseudoGradient())
        .containsExactly((5f + 2f) / 3, (5f + 2f) / 3, (5f + 4f) / 3, (5f + 4f) / 3);
  }

  @Test
  void aWorkersSecondContributionAndAnUnfinishedAttemptArePassedOver() {
    RoundMembership round = round2();

    round.accept(half(0, 1, 0, 100f)); // a worker that died while sending
    round.accept(half(0, 2, 0, 1f)); // ... restarted, and sent the round again
    round.accept(half(0, 2, 1, 1f));
    round.accept(half(0, 1, 1, 100f)); // the first attempt can no longer complete
    round.accept(whole(2, 0, 50f)); // nor can a third
    round.accept(whole(2, 1, 1f));

    assertThat(round.contributors()).containsExactly(0, 1);
    assertThat(round.closed()).isFalse();
    round.accept(whole(2, 2, 1f));
    assertThat(round.meanPseudoGradient()).containsExactly(1f, 1f, 1f, 1f);
  }

  @Test
  void theFirstCloseMarkerWithAQuorumBeforeItClosesTheRoundAndLaterRecordsDoNotCount() {
    RoundMembership round = round2();

    round.accept(whole(2, 1, 2f));
    // a marker with fewer than the quorum before it: no worker of the run wrote it, none acts on it
    assertThat(round.accept(new RoundClose(RUN, 2, 1))).isFalse();
    round.accept(whole(2, 0, 4f));
    // two workers timed out at once: the first marker in the log decides
    assertThat(round.accept(new RoundClose(RUN, 2, 0))).isTrue();
    assertThat(round.accept(new RoundClose(RUN, 2, 1))).isFalse();
    assertThat(round.accept(whole(2, 2, 1000f))).isFalse(); // too late

    assertThat(round.contributors()).containsExactly(1, 0);
    assertThat(round.closedBy()).isEqualTo(0);
    assertThat(round.meanPseudoGradient()).containsExactly(3f, 3f, 3f, 3f);
  }

  @Test
  void recordsOfOtherRunsAndEarlierRoundsArePassedOver() {
    RoundMembership round = round2();

    round.accept(whole(1, 0, 9f));
    round.accept(new PseudoGradientChunk("other", 2, 1, 7, 0, 1, 0, 4, new float[4]));
    round.accept(new RoundClose("other", 2, 1));

    assertThat(round.contributions()).isZero();
    assertThat(round.closed()).isFalse();
  }

  @Test
  void aLaterRoundBeforeThisOneClosedMeansTheLogLostItsClose() {
    RoundMembership round = round2();

    assertThatThrownBy(() -> round.accept(whole(3, 0, 1f)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("round 3")
        .hasMessageContaining("before round 2 closed")
        .hasMessageContaining("retention");
  }

  @Test
  void aContributionOfAnotherModelSizeOrWorkerIsRefusedWithTheReason() {
    RoundMembership round = round2();

    assertThatThrownBy(
            () -> round.accept(new PseudoGradientChunk(RUN, 2, 1, 7, 0, 1, 0, 5, new float[5])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5 values, the model has 4");
    assertThatThrownBy(() -> round.accept(whole(2, 3, 1f)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("worker 3 is not one of the run's 3 workers");
  }
}
