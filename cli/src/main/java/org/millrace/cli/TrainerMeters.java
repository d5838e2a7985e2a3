package org.millrace.cli;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;
import org.millrace.schemas.TrainerProgress;
import org.millrace.trainer.ContinuousTrainer;

/**
 * The trainer's progress as Prometheus gauges ({@code millrace_trainer_*}, tagged with the run id):
 * the values of its latest progress record, NaN before the first.
 */
final class TrainerMeters {

  private TrainerMeters() {}

  static void bind(MeterRegistry registry, ContinuousTrainer trainer, String runId) {
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
