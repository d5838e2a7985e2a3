package org.millrace.trainer;

import java.util.List;

/**
 * Benchmark tasks scored during training: {@code trainer.eval.tasks}, every {@code intervalSteps}
 * steps, on the first {@code limit} examples of each (0: all).
 */
public record TaskEvaluationSettings(List<String> tasks, int intervalSteps, int limit) {

  public TaskEvaluationSettings {
    tasks = List.copyOf(tasks);
  }

  /** Whether the tasks are scored at {@code step}. */
  public boolean dueAt(long step) {
    return !tasks.isEmpty() && intervalSteps > 0 && step % intervalSteps == 0;
  }
}
