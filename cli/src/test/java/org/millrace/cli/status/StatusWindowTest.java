package org.millrace.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class StatusWindowTest {

  private static final long T0 = 1_800_000_000_000L;

  @Test
  void aStageThatKeepsUpIsOkWithItsRate() {
    StatusWindow window = new StatusWindow(1024);
    window.add(report(0, stage(1, 1_000, 50), trainer(0, 10)));
    StatusReport judged = window.add(report(2_000, stage(1, 1_400, 50), trainer(2_000, 20)));

    StatusReport.Stage clean = judged.stages().get(0);
    assertThat(clean.verdict()).isEqualTo("OK");
    assertThat(clean.offsetsPerSecond()).isEqualTo(200.0);
    assertThat(clean.drainSeconds()).as("50 offsets at 200/s").isEqualTo(0.25);
  }

  @Test
  void lagThatGrewBetweenEveryTwoReportsWarns() {
    StatusWindow window = new StatusWindow(1024);
    window.add(report(0, stage(1, 1_000, 50), trainer(0, 10)));
    window.add(report(1_000, stage(1, 1_100, 80), trainer(1_000, 11)));
    StatusReport judged = window.add(report(2_000, stage(1, 1_200, 120), trainer(2_000, 12)));
    assertThat(judged.stages().get(0).verdict()).isEqualTo("WARN");

    StatusReport recovered = window.add(report(3_000, stage(1, 1_400, 100), trainer(3_000, 13)));
    assertThat(recovered.stages().get(0).verdict())
        .as("the lag fell once in the window")
        .isEqualTo("OK");
  }

  @Test
  void lagWithCommittedOffsetsThatDoNotMoveIsStalled() {
    StatusWindow window = new StatusWindow(1024);
    window.add(report(0, stage(1, 1_000, 50), trainer(0, 10)));
    StatusReport judged = window.add(report(2_000, stage(1, 1_000, 50), trainer(2_000, 10)));
    assertThat(judged.stages().get(0).verdict()).isEqualTo("STALLED");
    assertThat(judged.stages().get(0).drainSeconds()).as("no rate, no estimate").isNull();
    assertThat(judged.stages().get(1).verdict())
        .as("the trainer's step did not move either")
        .isEqualTo("STALLED");

    StatusWindow idle = new StatusWindow(1024);
    idle.add(report(0, stage(1, 1_000, 0), trainer(0, 10)));
    assertThat(
            idle.add(report(2_000, stage(1, 1_000, 0), trainer(2_000, 11)))
                .stages()
                .get(0)
                .verdict())
        .as("no lag: nothing to do is not a stall")
        .isEqualTo("OK");
  }

  @Test
  void aGroupWithoutMembersIsStoppedAndSoIsASilentTrainer() {
    StatusWindow window = new StatusWindow(1024);
    window.add(report(0, stage(0, 1_000, 50), trainer(-120_000, 10)));
    StatusReport judged = window.add(report(2_000, stage(0, 1_000, 50), trainer(-120_000, 10)));
    assertThat(judged.stages().get(0).verdict()).isEqualTo("STOPPED");
    assertThat(judged.stages().get(1).verdict())
        .as("no progress for two minutes")
        .isEqualTo("STOPPED");
  }

  @Test
  void lagOfCommitMarkersAloneIsNeitherAStallNorAStop() {
    StatusWindow window = new StatusWindow(1024);
    // 40 offsets behind, but no record waits: the markers of exactly-once transactions
    window.add(report(0, stage(1, 1_000, 0), trainer(-120_000, 10), 0));
    StatusReport judged = window.add(report(2_000, stage(1, 1_000, 0), trainer(-120_000, 10), 0));
    assertThat(judged.stages().get(1).verdict())
        .as("a silent trainer with nothing to read is idle, not stopped")
        .isEqualTo("OK");
    assertThat(judged.stages().get(1).drainSeconds()).as("nothing to drain").isNull();
  }

  @Test
  void theTrainersDrainTimeCountsTokensAtItsTokensPerSecond() {
    StatusWindow window = new StatusWindow(1024);
    window.add(report(0, stage(1, 0, 0), trainer(0, 10)));
    StatusReport judged = window.add(report(2_000, stage(1, 0, 0), trainer(2_000, 20)));
    // the trainer lags by 40 records of at most 1,024 tokens, at 2,048 tokens/s
    assertThat(judged.stages().get(1).drainSeconds()).isEqualTo(20.0);
    assertThat(judged.stages().get(1).verdict()).isEqualTo("OK");
  }

  @Test
  void aTrainerBetweenCheckpointsIsJudgedByWhatItHasReadNotByWhatItSaved() {
    StatusWindow window = new StatusWindow(1024);
    // read to the end (lag 0), 240 records read since its last checkpoint
    window.add(report(0, stage(1, 1_000, 0), trainer(0, 600), train(0, 0, 240)));
    StatusReport judged =
        window.add(report(2_000, stage(1, 1_000, 0), trainer(2_000, 600), train(0, 0, 240)));
    StatusReport.Stage train = judged.stages().get(1);
    assertThat(train.verdict()).as("idle, caught up, alive").isEqualTo("OK");
    assertThat(train.unsavedRecords()).isEqualTo(240);
    assertThat(train.drainSeconds()).as("nothing waits").isNull();
  }

  @Test
  void aStageStuckOnAPoisonRecordIsStalledWhileItsGroupStaysUp() {
    StatusWindow window = new StatusWindow(1024);
    for (int report = 0; report < 5; report++) {
      // one member, one record waiting, the committed offset never moves
      window.add(report(report * 1_000L, stage(1, 700, 1), trainer(report * 1_000L, report)));
    }
    StatusReport judged = window.add(report(5_000, stage(1, 700, 1), trainer(5_000, 5)));
    assertThat(judged.stages().get(0).verdict()).isEqualTo("STALLED");
    assertThat(judged.stages().get(1).verdict())
        .as("the trainer keeps stepping on what it has")
        .isEqualTo("OK");
  }

  private static StatusReport report(
      long at, StatusReport.Stage clean, StatusReport.Trainer trainer, StatusReport.Stage train) {
    return new StatusReport("broker", T0 + at, List.of(clean, train), List.of(), trainer);
  }

  /** The trainer's row: read to {@code lag} offsets before the end, {@code unsaved} not saved. */
  private static StatusReport.Stage train(long lag, double lagSeconds, long unsaved) {
    return new StatusReport.Stage(
        "train",
        "millrace-trainer-default",
        "Empty",
        0,
        "tokens",
        1_000 - unsaved,
        1_000,
        lag,
        0,
        lagSeconds,
        unsaved,
        null,
        null,
        null,
        List.of());
  }

  private static StatusReport report(
      long at, StatusReport.Stage clean, StatusReport.Trainer trainer) {
    return report(at, clean, trainer, 30.0);
  }

  /** With the trainer 40 offsets behind, its oldest unconsumed record that many seconds old. */
  private static StatusReport report(
      long at, StatusReport.Stage clean, StatusReport.Trainer trainer, double trainerLagSeconds) {
    StatusReport.Stage train =
        new StatusReport.Stage(
            "train",
            "millrace-trainer-default",
            "Empty",
            0,
            "tokens",
            0,
            0,
            40,
            0,
            trainerLagSeconds,
            0L,
            null,
            null,
            null,
            List.of());
    return new StatusReport("broker", T0 + at, List.of(clean, train), List.of(), trainer);
  }

  /** The clean stage; when it lags, its oldest unconsumed record is 5 s old. */
  private static StatusReport.Stage stage(int members, long committed, long lag) {
    return new StatusReport.Stage(
        "clean",
        "millrace-clean",
        "Stable",
        members,
        "docs.raw",
        committed,
        committed,
        lag,
        0,
        lag > 0 ? 5 : 0,
        null,
        null,
        null,
        null,
        List.of());
  }

  /**
   * The trainer's latest progress, published {@code updatedAt} ms after T0, at step {@code step}.
   */
  private static StatusReport.Trainer trainer(long updatedAt, long step) {
    return new StatusReport.Trainer(
        "default",
        step,
        5f,
        3f,
        null,
        null,
        1e-3f,
        2048.0,
        null,
        null,
        1000,
        null,
        Instant.ofEpochMilli(T0 + updatedAt).toString(),
        Map.of());
  }
}
