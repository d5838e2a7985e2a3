package org.millrace.cli.local;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.function.ToDoubleFunction;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.lag.LagMetrics;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.TrainerProgress;
import org.millrace.trainer.ContinuousTrainer;
import org.millrace.trainer.TrainerKeys;
import org.millrace.trainer.TrainerSettings;
import org.millrace.trainer.diloco.DilocoWorker;
import org.millrace.trainer.eval.TaskScore;

/**
 * The trainer's progress as Prometheus gauges ({@code millrace_trainer_*}, tagged with the run id):
 * the values of its latest progress record, NaN before the first. Besides them, what alerts need
 * and the record does not hold: the gradient norm of that step, when the latest checkpoint was
 * written (a timestamp, as Prometheus recommends: {@code time() - ...} is its age, and it stays
 * right while the trainer hangs), the token records retention deleted before they were read, and
 * the latest accuracy on each benchmark task of {@code trainer.eval.tasks}.
 */
public final class TrainerMeters {

  private TrainerMeters() {}

  public static void bind(MeterRegistry registry, ContinuousTrainer trainer, String runId) {
    gauge(registry, trainer, runId, "step", null, p -> p.getStep());
    gauge(registry, trainer, runId, "loss", null, TrainerProgress::getLoss);
    gauge(
        registry,
        trainer,
        runId,
        "validation.loss",
        null,
        p -> p.getValidationLoss() == null ? Double.NaN : p.getValidationLoss());
    gauge(registry, trainer, runId, "learning.rate", null, TrainerProgress::getLearningRate);
    gauge(registry, trainer, runId, "tokens.per.second", null, TrainerProgress::getTokensPerSecond);
    gauge(registry, trainer, runId, "tokens.trained", null, p -> p.getTokensTrained());
    gauge(registry, trainer, runId, "mfu", null, TrainerProgress::getModelFlopsUtilization);
    gauge(registry, trainer, runId, "input.stall", null, TrainerProgress::getInputStall);
    gauge(
        registry,
        trainer,
        runId,
        "checkpoint.step",
        null,
        p -> p.getCheckpointStep() == null ? Double.NaN : p.getCheckpointStep());
    Gauge.builder("millrace.trainer.gradient.norm", trainer, t -> t.latestGradientNorm())
        .description("Global L2 norm of the gradients (before clipping) at the latest progress")
        .tag("run", runId)
        .register(registry);
    Gauge.builder(
            "millrace.trainer.checkpoint.timestamp",
            trainer,
            t -> {
              Instant written = t.lastCheckpointTime();
              return written == null ? Double.NaN : written.toEpochMilli() / 1000.0;
            })
        .description("When the run's latest checkpoint was written, in seconds since the epoch")
        .tag("run", runId)
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("millrace.trainer.unsaved.records", trainer, ContinuousTrainer::unsavedRecords)
        .description(
            "Token records read but not yet in a checkpoint: what a crash would make the trainer"
                + " read and train on again")
        .tag("run", runId)
        .register(registry);
    for (String task : trainer.evalTaskNames()) {
      taskGauge(registry, trainer, runId, task, "acc", TaskScore::acc);
      taskGauge(registry, trainer, runId, task, "acc.norm", TaskScore::accNorm);
    }
    FunctionCounter.builder(
            "millrace.trainer.records.deleted.by.retention",
            trainer,
            ContinuousTrainer::recordsDeletedByRetention)
        .description("Token records retention deleted before the trainer read them")
        .tag("run", runId)
        .register(registry);
    if (trainer.diloco() != null) {
      bindDiloco(registry, trainer.diloco(), runId);
    }
  }

  /**
   * A DiLoCo worker's rounds, tagged with the run and the worker: the last round applied, how many
   * contributions it closed with, whether this worker's was one of them, and the bytes sent.
   */
  private static void bindDiloco(MeterRegistry registry, DilocoWorker worker, String runId) {
    String index = String.valueOf(worker.worker());
    Gauge.builder("millrace.trainer.diloco.round", worker, DilocoWorker::round)
        .description("The last DiLoCo round this worker applied")
        .tags("run", runId, "worker", index)
        .register(registry);
    Gauge.builder(
            "millrace.trainer.diloco.round.contributions",
            worker,
            w -> w.lastRound() == null ? Double.NaN : w.lastRound().contributors().size())
        .description("Contributions the last round closed with (K, or fewer after a timeout)")
        .tags("run", runId, "worker", index)
        .register(registry);
    Gauge.builder(
            "millrace.trainer.diloco.round.included",
            worker,
            w ->
                w.lastRound() == null
                    ? Double.NaN
                    : w.lastRound().contributors().contains(w.worker()) ? 1 : 0)
        .description("1 when this worker's contribution counted in the last round, 0 when late")
        .tags("run", runId, "worker", index)
        .register(registry);
    FunctionCounter.builder("millrace.trainer.diloco.sent", worker, DilocoWorker::bytesSent)
        .description("Bytes of pseudo-gradients this worker sent to trainer.sync")
        .tags("run", runId, "worker", index)
        .baseUnit("bytes")
        .register(registry);
  }

  /**
   * The trainer's consumer group on the tokens topic, for lag metrics: read to where its progress
   * says, not only to its last checkpoint's committed offsets.
   */
  public static LagMetrics.Watched lagOf(MillraceConfig config, ContinuousTrainer trainer) {
    return new LagMetrics.Watched(
        TrainerSettings.groupOf(config.getString(TrainerKeys.RUN_ID)),
        Topics.of(config).tokens(),
        trainer::readOffsets);
  }

  /**
   * {@code millrace_trainer_eval_<metric>{run, task}}: the latest score on a task of
   * trainer.eval.tasks, NaN before its first evaluation (acc_norm: NaN for a single-target task).
   */
  private static void taskGauge(
      MeterRegistry registry,
      ContinuousTrainer trainer,
      String runId,
      String task,
      String metric,
      ToDoubleFunction<TaskScore> value) {
    Gauge.builder(
            "millrace.trainer.eval." + metric,
            trainer,
            t -> {
              TaskScore score = t.latestTaskScores().get(task);
              return score == null ? Double.NaN : value.applyAsDouble(score);
            })
        .description("Latest " + metric + " on the benchmark task (trainer.eval.tasks)")
        .tag("run", runId)
        .tag("task", task)
        .register(registry);
  }

  private static void gauge(
      MeterRegistry registry,
      ContinuousTrainer trainer,
      String runId,
      String name,
      String unit,
      ToDoubleFunction<TrainerProgress> value) {
    Gauge.builder(
            "millrace.trainer." + name,
            trainer,
            t -> {
              TrainerProgress progress = t.latestProgress();
              return progress == null ? Double.NaN : value.applyAsDouble(progress);
            })
        .tag("run", runId)
        .baseUnit(unit)
        .register(registry);
  }
}
