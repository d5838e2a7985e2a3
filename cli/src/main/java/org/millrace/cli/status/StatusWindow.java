package org.millrace.cli.status;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last few status reports, and a verdict on each stage's lag over them, in the spirit of
 * LinkedIn's Burrow (which judges a group by its offsets over a window of commits, not by one lag
 * figure):
 *
 * <ul>
 *   <li>{@code STOPPED}: the group has no members (for the trainer, which reads without joining its
 *       group: records wait for it and it has published no progress for {@value
 *       #TRAINER_SILENT_SECONDS} seconds);
 *   <li>{@code STALLED}: records wait, and the stage did not move over the whole window (the
 *       committed offsets; for the trainer, its step);
 *   <li>{@code WARN}: the lag grew between every two reports of the window;
 *   <li>{@code OK}: otherwise.
 * </ul>
 *
 * A single report cannot show movement, so {@code millrace status} always reads at least two.
 * "Records wait" means the oldest unconsumed record has an age: lag in offsets alone can be commit
 * markers of exactly-once topics, which an idle consumer never moves past.
 */
public final class StatusWindow {

  public static final int SIZE = 10;
  public static final long TRAINER_SILENT_SECONDS = 60;

  private final int tokensPerRecord;
  private final Deque<StatusReport> reports = new ArrayDeque<>();

  /**
   * @param tokensPerRecord the most tokens a record of the tokens topic holds ({@code
   *     tokenize.chunk.tokens}), to turn the trainer's lag into tokens
   */
  public StatusWindow(int tokensPerRecord) {
    this.tokensPerRecord = tokensPerRecord;
  }

  /** Adds a report and returns it with every stage judged over the window. */
  public StatusReport add(StatusReport report) {
    reports.addLast(report);
    if (reports.size() > SIZE) {
      reports.removeFirst();
    }
    StatusReport first = reports.getFirst();
    double seconds = (report.readAtMillis() - first.readAtMillis()) / 1000.0;
    List<StatusReport.Stage> judged = new ArrayList<>();
    for (int i = 0; i < report.stages().size(); i++) {
      judged.add(judge(i, report, first, seconds));
    }
    return report.withStages(judged);
  }

  private StatusReport.Stage judge(
      int index, StatusReport latest, StatusReport first, double seconds) {
    StatusReport.Stage stage = latest.stages().get(index);
    boolean trainer = stage.stage().equals(StatusReader.TRAIN);
    Double rate =
        seconds > 0
            ? (stage.readOffsets() - first.stages().get(index).readOffsets()) / seconds
            : null;
    Double drain = null;
    if (stage.lag() > 0 && stage.lagSeconds() > 0) { // records wait, not only commit markers
      if (trainer && latest.trainer() != null && latest.trainer().tokensPerSecond() > 0) {
        drain = stage.lag() * (double) tokensPerRecord / latest.trainer().tokensPerSecond();
      } else if (!trainer && rate != null && rate > 0) {
        drain = stage.lag() / rate;
      }
    }
    return stage.judged(verdict(index, latest, trainer), rate, drain);
  }

  private String verdict(int index, StatusReport latest, boolean trainer) {
    StatusReport.Stage stage = latest.stages().get(index);
    boolean recordsWait = stage.lagSeconds() > 0;
    if (trainer ? recordsWait && trainerSilent(latest) : stage.members() == 0) {
      return "STOPPED";
    }
    if (reports.size() < 2) {
      return "OK";
    }
    if (recordsWait && !moved(index, trainer)) {
      return "STALLED";
    }
    return lagGrewThroughout(index) ? "WARN" : "OK";
  }

  private boolean trainerSilent(StatusReport latest) {
    if (latest.trainer() == null) {
      return true;
    }
    long updated = java.time.Instant.parse(latest.trainer().updatedAt()).toEpochMilli();
    return latest.readAtMillis() - updated > TRAINER_SILENT_SECONDS * 1000;
  }

  private boolean moved(int index, boolean trainer) {
    StatusReport first = reports.getFirst();
    StatusReport last = reports.getLast();
    if (trainer) {
      return first.trainer() != null && last.trainer().step() != first.trainer().step();
    }
    return last.stages().get(index).committedOffsets()
        != first.stages().get(index).committedOffsets();
  }

  private boolean lagGrewThroughout(int index) {
    long previous = -1;
    for (StatusReport report : reports) {
      long lag = report.stages().get(index).lag();
      if (lag <= previous) {
        return false;
      }
      previous = lag;
    }
    return true;
  }
}
