package org.millrace.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.millrace.cli.status.StatusReport;
import org.millrace.schemas.PartitionPosition;
import org.millrace.schemas.RejectedDocument;
import org.millrace.schemas.TaskAccuracy;
import org.millrace.schemas.TrainerProgress;

public class DashboardHistoryTest {

  private static final long T0 = 1_800_000_000_000L;

  @Test
  void theCurveIsTheConfiguredRunsWhenItPublishedAndOtherwiseTheLatestRuns() {
    DashboardHistory history = new DashboardHistory("main");
    history.addProgress(progress("experiment", 1, 5.0f, null));
    history.addProgress(progress("experiment", 2, 4.0f, null));
    assertThat(history.snapshot().run()).as("main never published").isEqualTo("experiment");

    history.addProgress(progress("main", 1, 5.5f, null));
    history.addProgress(progress("experiment", 3, 3.0f, null));

    DashboardHistory.Snapshot snapshot = history.snapshot();
    assertThat(snapshot.run()).isEqualTo("main");
    assertThat(snapshot.loss()).extracting(DashboardHistory.LossPoint::loss).containsExactly(5.5f);
  }

  @Test
  void aRunResumedFromAnEarlierCheckpointReplacesTheStepsItTrainsAgain() {
    DashboardHistory history = new DashboardHistory("default");
    for (int step = 1; step <= 7; step++) {
      history.addProgress(progress("default", step, 10 - step, step == 5 ? 4.5f : null));
    }
    history.addProgress(progress("default", 5, 4.9f, null)); // resumed from the checkpoint at 4

    DashboardHistory.Snapshot snapshot = history.snapshot();
    assertThat(snapshot.loss())
        .extracting(DashboardHistory.LossPoint::step)
        .containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(snapshot.loss().get(4).loss()).isEqualTo(4.9f);
    assertThat(snapshot.validationLoss()).as("step 5's evaluation was trained again").isEmpty();
  }

  @Test
  void benchmarkAccuraciesPublishedWithTheProgressAreCurvesPerTask() {
    DashboardHistory history = new DashboardHistory("default");
    history.addProgress(progress("default", 1, 5.0f, null));
    history.addProgress(withTasks(progress("default", 100, 3.0f, 3.1f), 0.30, 0.35));
    history.addProgress(withTasks(progress("default", 200, 2.0f, 2.1f), 0.45, 0.5));
    history.addProgress(progress("default", 200, 2.2f, null)); // resumed: step 200 trained again

    DashboardHistory.Snapshot snapshot = history.snapshot();
    assertThat(snapshot.taskAccuracy())
        .containsExactly(
            new DashboardHistory.TaskPoint(100, "shakespeare-cloze", 0.30, 0.35, 0.25),
            new DashboardHistory.TaskPoint(100, "lambada", 0.35, null, null));
  }

  static TrainerProgress withTasks(TrainerProgress progress, double cloze, double lambada) {
    progress.setTaskScores(
        List.of(
            TaskAccuracy.newBuilder()
                .setTask("shakespeare-cloze")
                .setExamples(500)
                .setAcc(cloze)
                .setAccStderr(0.02)
                .setAccNorm(cloze + 0.05)
                .setChance(0.25)
                .build(),
            TaskAccuracy.newBuilder()
                .setTask("lambada")
                .setExamples(100)
                .setAcc(lambada)
                .setAccStderr(0.05)
                .build()));
    return progress;
  }

  @Test
  void aLongRunIsThinnedButKeepsItsFirstAndLatestStepAndEveryEvaluationItCan() {
    DashboardHistory history = new DashboardHistory("default");
    int steps = 5 * DashboardHistory.MAX_CURVE_POINTS;
    for (int step = 1; step <= steps; step++) {
      history.addProgress(progress("default", step, 5.0f, step % 1000 == 0 ? 4.0f : null));
    }

    DashboardHistory.Snapshot snapshot = history.snapshot();
    assertThat(snapshot.loss()).hasSizeLessThanOrEqualTo(DashboardHistory.MAX_CURVE_POINTS);
    assertThat(snapshot.loss().size()).isGreaterThan(DashboardHistory.MAX_CURVE_POINTS / 2);
    assertThat(snapshot.loss().get(0).step()).isEqualTo(1);
    assertThat(snapshot.loss().get(snapshot.loss().size() - 1).step()).isEqualTo(steps);
    assertThat(snapshot.loss())
        .extracting(DashboardHistory.LossPoint::step)
        .isSortedAccordingTo(Long::compare)
        .doesNotHaveDuplicates();
    assertThat(snapshot.validationLoss())
        .as("evaluations are few: none thinned away")
        .hasSize(steps / 1000);
  }

  @Test
  void stageSamplesOlderThanTheWindowAreDropped() {
    DashboardHistory history = new DashboardHistory("default");
    long hour = 60 * 60 * 1000L;
    history.addReport(report(T0, 500, null));
    history.addReport(report(T0 + hour, 300, 10.0));
    history.addReport(report(T0 + 2 * hour + 1, 0, 12.5));

    DashboardHistory.StageSeries clean = history.snapshot().stages().get(0);
    assertThat(clean.history())
        .extracting(DashboardHistory.StageSample::lag)
        .as("the sample of T0 is more than two hours older than the latest")
        .containsExactly(300L, 0L);
    assertThat(clean.lag()).isZero();
    assertThat(clean.rate()).isEqualTo(12.5);
    assertThat(clean.verdict()).isEqualTo("OK");
  }

  @Test
  void rejectionsAreCountedByStageFilterAndReason() {
    DashboardHistory history = new DashboardHistory("default");
    history.addRejected(rejected("clean", null, "empty_text"));
    history.addRejected(rejected("clean", "gopher_quality", "too_few_words"));
    history.addRejected(rejected("clean", "gopher_quality", "too_few_words"));
    history.addRejected(rejected("feed", null, "empty_text"));

    assertThat(history.snapshot().rejects())
        .containsExactly(
            new DashboardHistory.RejectCount("clean", "", "empty_text", 1),
            new DashboardHistory.RejectCount("clean", "gopher_quality", "too_few_words", 2),
            new DashboardHistory.RejectCount("feed", "", "empty_text", 1));
  }

  @Test
  void theLatestSamplesComeFirstAndOnlyAFewAreKept() {
    DashboardHistory history = new DashboardHistory("default");
    assertThat(history.snapshot().samplesNote()).isNotBlank();
    for (int step = 10; step <= 100; step += 10) {
      history.addSample(new DashboardHistory.Sample(step, "step-" + step, "The ", "text", T0));
    }

    DashboardHistory.Snapshot snapshot = history.snapshot();
    assertThat(snapshot.samples())
        .extracting(DashboardHistory.Sample::step)
        .containsExactly(100L, 90L, 80L, 70L, 60L);
    assertThat(snapshot.samplesNote()).isNull();
  }

  @Test
  void anUnreachableClusterIsReportedUntilTheNextReport() {
    DashboardHistory history = new DashboardHistory("default");
    history.error("cannot reach Kafka");
    assertThat(history.snapshot().error()).isEqualTo("cannot reach Kafka");
    history.addReport(report(T0, 0, null));
    assertThat(history.snapshot().error()).isNull();
  }

  static TrainerProgress progress(String run, long step, float loss, Float validationLoss) {
    return TrainerProgress.newBuilder()
        .setRunId(run)
        .setStep(step)
        .setLoss(loss)
        .setValidationLoss(validationLoss)
        .setLearningRate(1e-3f)
        .setTokensPerSecond(1000.0 + step)
        .setTokensTrained(step * 128)
        .setPositions(List.of(new PartitionPosition("tokens", 0, step)))
        .setPendingTokens(0)
        .setTimestamp(Instant.ofEpochMilli(T0 + step))
        .build();
  }

  static StatusReport report(long at, long lag, Double rate) {
    StatusReport.Stage clean =
        new StatusReport.Stage(
            "clean",
            "millrace-clean",
            "Stable",
            1,
            "docs.raw",
            1000,
            1000,
            lag,
            0,
            lag / 100.0,
            null,
            "OK",
            rate,
            null,
            List.of());
    return new StatusReport("127.0.0.1:9092", at, List.of(clean), List.of(), null);
  }

  static RejectedDocument rejected(String stage, String filter, String reason) {
    return RejectedDocument.newBuilder()
        .setId("id")
        .setStage(stage)
        .setFilter(filter)
        .setReason(reason)
        .setDetail("why")
        .setPayloadSize(10)
        .setRejectedAt(Instant.ofEpochMilli(T0))
        .build();
  }
}
