package org.millrace.trainer.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Puts {@code shots} solved examples before each example, as lm-evaluation-harness's few-shot
 * context does: the demonstrations joined by the few-shot delimiter, then the delimiter, then the
 * example. The harness draws them from a training split; a task file has one split, so they are
 * drawn from the task's other examples (never the example itself), with a generator seeded once, so
 * that the same file, shots and seed give the same contexts.
 */
public record FewShotSampler(int shots, long seed) {

  /** The harness's default few-shot seed. */
  public static final long DEFAULT_SEED = 1234;

  public FewShotSampler {
    if (shots < 0) {
      throw new IllegalArgumentException("the number of shots cannot be negative: " + shots);
    }
  }

  /** The task's examples, each with its demonstrations before it. */
  public List<TaskExample> apply(EvalTask task) {
    List<TaskExample> examples = task.examples();
    if (shots == 0) {
      return examples;
    }
    if (shots >= examples.size()) {
      throw new IllegalArgumentException(
          task.name()
              + " has "
              + examples.size()
              + " examples: too few for "
              + shots
              + " shots drawn from the others");
    }
    Random random = new Random(seed);
    List<TaskExample> withShots = new ArrayList<>(examples.size());
    for (int i = 0; i < examples.size(); i++) {
      Set<Integer> drawn = new LinkedHashSet<>();
      while (drawn.size() < shots) {
        int candidate = random.nextInt(examples.size());
        if (candidate != i) {
          drawn.add(candidate);
        }
      }
      StringBuilder prefix = new StringBuilder();
      for (int index : drawn) {
        prefix.append(examples.get(index).demonstration()).append(TaskExample.FEWSHOT_DELIMITER);
      }
      withShots.add(examples.get(i).withPrefix(prefix.toString()));
    }
    return withShots;
  }
}
