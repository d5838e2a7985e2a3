package org.millrace.cli.commands;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.millrace.cli.Millrace;
import org.millrace.cli.ShutdownSignal;
import org.millrace.cli.local.LocalPipeline;
import org.millrace.cli.local.TrainerMeters;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.metrics.MetricsEndpoint;
import org.millrace.tokenizer.Tokenizers;
import org.millrace.trainer.ContinuousTrainer;
import org.millrace.trainer.TrainerClients;
import org.millrace.trainer.TrainerKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code millrace train}. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    header = "Run the trainer on the tokens topic, with checkpoints.",
    description = {
      "Run the trainer: read the train split of the tokens topic, pack it into sequences, train"
          + " the",
      "model, publish progress to trainer.progress and checkpoint to"
          + " data.dir/checkpoints/<trainer.run.id>.",
      "Resumes from the latest checkpoint. Stops at trainer.max.steps, or with Ctrl-C after a last"
          + " checkpoint.",
      "With --workers K --worker I it is one of K trainers of the same model (DiLoCo): it trains on"
          + " the partitions",
      "p with p mod K = I and exchanges pseudo-gradients with the others through trainer.sync"
          + " (docs/operations.md)."
    })
public final class TrainCommand implements Callable<Integer> {

  @ParentCommand Millrace millrace;

  @Option(
      names = "--workers",
      paramLabel = "K",
      description =
          "Trainers of this run that train the model together by DiLoCo; sets"
              + " trainer.diloco.workers. At most the token topic's partitions.")
  Integer workers;

  @Option(
      names = "--worker",
      paramLabel = "I",
      description = "This trainer's index, 0 to K-1; sets trainer.diloco.worker.")
  Integer worker;

  @Override
  public Integer call() throws Exception {
    MillraceConfig config = withWorkerOptions(millrace.config());
    LocalPipeline.ensureTopics(config);
    ContinuousTrainer trainer = TrainerClients.connect(config, Tokenizers.load(config));
    Optional<MetricsEndpoint> metrics = MetricsEndpoint.start(config);
    String runId = config.getString(TrainerKeys.RUN_ID);
    metrics.ifPresent(
        endpoint -> {
          TrainerMeters.bind(endpoint.registry(), trainer, runId);
          endpoint.watchLag(config, List.of(TrainerMeters.lagOf(config, trainer)));
        });
    try (ShutdownSignal shutdown = new ShutdownSignal(trainer::stop)) {
      try {
        trainer.run(); // returns at trainer.max.steps, or after the last checkpoint once stopped
      } finally {
        trainer.close();
        metrics.ifPresent(MetricsEndpoint::close);
      }
    }
    return 0;
  }

  private MillraceConfig withWorkerOptions(MillraceConfig config) {
    Map<String, String> overrides = new HashMap<>();
    if (workers != null) {
      overrides.put(TrainerKeys.DILOCO_WORKERS, workers.toString());
    }
    if (worker != null) {
      overrides.put(TrainerKeys.DILOCO_WORKER, worker.toString());
    }
    return overrides.isEmpty() ? config : config.with(overrides);
  }
}
