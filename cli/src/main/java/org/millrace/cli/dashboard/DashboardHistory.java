package org.millrace.cli.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.millrace.cli.status.StatusReport;
import org.millrace.cli.status.StatusWindow;
import org.millrace.schemas.RejectedDocument;
import org.millrace.schemas.TaskAccuracy;
import org.millrace.schemas.TrainerProgress;

/**
 * What the dashboard shows, kept in memory and bounded: the loss curve of each training run (from
 * the trainer.progress topic), the lag and rate of every stage over the last {@link
 * #STAGE_WINDOW_MS} (from status reports), the rejections counted by stage, filter and reason (from
 * docs.rejected), and the latest generated samples. The sampler threads write it; the HTTP server
 * reads {@link #snapshot()}. Every method is synchronized: writes come every few seconds, reads
 * every two.
 */
public final class DashboardHistory {

  /** Two hours of stage samples: enough to see a backlog build and drain. */
  public static final long STAGE_WINDOW_MS = 2 * 60 * 60 * 1000L;

  /**
   * Points per loss curve. Past it, every second point of the curve is dropped, so that a run of
   * millions of steps keeps its whole shape at a resolution a chart can draw; the older part of a
   * long curve has been thinned more often than the recent part, like a log that keeps the last
   * hour in detail.
   */
  public static final int MAX_CURVE_POINTS = 2000;

  public static final int MAX_SAMPLES = 5;

  private final String configuredRun;
  private final Map<String, Curve> curves = new LinkedHashMap<>();
  private String latestRun;
  private final Map<String, Deque<StageSample>> stageSamples = new LinkedHashMap<>();
  private StatusReport latestReport;
  private final Map<RejectKey, Long> rejects = new TreeMap<>();
  private final Deque<Sample> samples = new ArrayDeque<>();
  private String samplesNote = "no checkpoint sampled yet";
  private String error;

  /**
   * @param configuredRun the run whose curve is shown ({@code trainer.run.id}); when it never
   *     published progress, the latest run that did
   */
  public DashboardHistory(String configuredRun) {
    this.configuredRun = configuredRun;
  }

  /**
   * Adds a progress record to its run's curve. A step at or below the curve's last one means the
   * run resumed from an earlier checkpoint: the steps it trains again replace those of the curve.
   */
  public synchronized void addProgress(TrainerProgress progress) {
    latestRun = progress.getRunId();
    curves.computeIfAbsent(progress.getRunId(), run -> new Curve()).add(progress);
  }

  /** The stages of a judged status report ({@link StatusWindow}), one sample per stage. */
  public synchronized void addReport(StatusReport report) {
    latestReport = report;
    error = null;
    for (StatusReport.Stage stage : report.stages()) {
      Deque<StageSample> series =
          stageSamples.computeIfAbsent(stage.stage(), s -> new ArrayDeque<>());
      series.addLast(
          new StageSample(
              report.readAtMillis(), stage.lag(), stage.lagSeconds(), stage.offsetsPerSecond()));
      while (series.getFirst().at() < report.readAtMillis() - STAGE_WINDOW_MS) {
        series.removeFirst();
      }
    }
  }

  public synchronized void addRejected(RejectedDocument rejected) {
    rejects.merge(
        new RejectKey(
            rejected.getStage(),
            rejected.getFilter() == null ? "" : rejected.getFilter(),
            rejected.getReason()),
        1L,
        Long::sum);
  }

  public synchronized void addSample(Sample sample) {
    samples.addFirst(sample);
    while (samples.size() > MAX_SAMPLES) {
      samples.removeLast();
    }
    samplesNote = null;
  }

  /** Why there is no new sample (no checkpoint yet, an encoder, a folder not visible here). */
  public synchronized void samplesNote(String note) {
    samplesNote = note;
  }

  /** The cluster could not be read; shown on the page until the next report. */
  public synchronized void error(String message) {
    error = message;
  }

  public synchronized Snapshot snapshot() {
    String run = curves.containsKey(configuredRun) ? configuredRun : latestRun;
    Curve curve = run == null ? new Curve() : curves.get(run);
    List<StageSeries> stages = new ArrayList<>();
    if (latestReport != null) {
      for (StatusReport.Stage stage : latestReport.stages()) {
        stages.add(
            new StageSeries(
                stage.stage(),
                stage.group(),
                stage.verdict(),
                stage.lag(),
                stage.lagSeconds(),
                stage.offsetsPerSecond(),
                List.copyOf(stageSamples.get(stage.stage()))));
      }
    }
    List<RejectCount> rejectCounts = new ArrayList<>();
    rejects.forEach(
        (key, count) ->
            rejectCounts.add(new RejectCount(key.stage(), key.filter(), key.reason(), count)));
    return new Snapshot(
        latestReport == null ? null : latestReport.bootstrapServers(),
        latestReport == null ? null : latestReport.readAtMillis(),
        error,
        latestReport == null ? null : latestReport.trainer(),
        run,
        List.copyOf(curve.points),
        List.copyOf(curve.validation),
        List.copyOf(curve.tasks),
        stages,
        rejectCounts,
        List.copyOf(samples),
        samplesNote);
  }

  /** One run's progress, thinned to at most {@link #MAX_CURVE_POINTS} points. */
  private static final class Curve {
    private final List<LossPoint> points = new ArrayList<>();
    private final List<ValidationPoint> validation = new ArrayList<>();
    private final List<TaskPoint> tasks = new ArrayList<>();

    void add(TrainerProgress progress) {
      long step = progress.getStep();
      points.removeIf(point -> point.step() >= step);
      validation.removeIf(point -> point.step() >= step);
      tasks.removeIf(point -> point.step() >= step);
      points.add(
          new LossPoint(
              step,
              progress.getLoss(),
              progress.getTokensPerSecond(),
              progress.getTimestamp().toEpochMilli()));
      if (progress.getValidationLoss() != null) {
        validation.add(new ValidationPoint(step, progress.getValidationLoss()));
      }
      if (progress.getTaskScores() != null) {
        for (TaskAccuracy score : progress.getTaskScores()) {
          tasks.add(
              new TaskPoint(
                  step, score.getTask(), score.getAcc(), score.getAccNorm(), score.getChance()));
        }
      }
      thin(points);
      thin(validation);
      thin(tasks);
    }

    /** Drops every second point but the last, keeping the first: the curve at half resolution. */
    private static void thin(List<?> curve) {
      if (curve.size() <= MAX_CURVE_POINTS) {
        return;
      }
      int last = curve.size() - 1;
      for (int i = last - 1; i > 0; i--) {
        if (i % 2 == 1) {
          curve.remove(i);
        }
      }
    }
  }

  private record RejectKey(String stage, String filter, String reason)
      implements Comparable<RejectKey> {
    @Override
    public int compareTo(RejectKey other) {
      return (stage + '\0' + filter + '\0' + reason)
          .compareTo(other.stage + '\0' + other.filter + '\0' + other.reason);
    }
  }

  /** A training step: its loss, the tokens/s since the previous record, when it was published. */
  public record LossPoint(long step, float loss, double tokensPerSecond, long at) {}

  public record ValidationPoint(long step, float loss) {}

  /**
   * A benchmark task's accuracy at a step (trainer.eval.tasks); {@code accNorm} and {@code chance}
   * are null for a single-target task.
   */
  public record TaskPoint(long step, String task, double acc, Double accNorm, Double chance) {}

  /**
   * A stage at one status report: lag in offsets and seconds, and the rate of its committed offsets
   * (null at the first report).
   */
  public record StageSample(long at, long lag, double lagSeconds, Double rate) {}

  /** A stage's latest figures and its samples, oldest first. */
  public record StageSeries(
      String stage,
      String group,
      String verdict,
      long lag,
      double lagSeconds,
      Double rate,
      List<StageSample> history) {}

  /** Records rejected by a stage for a reason; {@code filter} is empty unless a filter did it. */
  public record RejectCount(String stage, String filter, String reason, long count) {}

  /** Text the model wrote after {@code prompt}, from the checkpoint of {@code step}. */
  public record Sample(long step, String checkpoint, String prompt, String text, long at) {}

  /**
   * What {@code GET /api/dashboard} returns (docs/operations.md describes it).
   *
   * @param trainer the latest progress of the run, as {@code millrace status} shows it
   * @param run the run of the curves
   */
  public record Snapshot(
      String bootstrapServers,
      Long readAt,
      String error,
      StatusReport.Trainer trainer,
      String run,
      List<LossPoint> loss,
      List<ValidationPoint> validationLoss,
      List<TaskPoint> taskAccuracy,
      List<StageSeries> stages,
      List<RejectCount> rejects,
      List<Sample> samples,
      String samplesNote) {}
}
