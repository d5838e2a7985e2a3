package org.millrace.cli.sweep;

import java.util.LinkedHashMap;
import java.util.Map;
import org.millrace.trainer.TrainerKeys;

/**
 * One point of a sweep: a model size and a token budget, trained as its own run ({@code
 * <sweep>-<size>-<tokens>}: its own checkpoints and consumer group, the tokens topic from offset
 * 0).
 *
 * @param index the point's place in the grid, sizes first: what {@code --point} and {@code --shard}
 *     select
 * @param size a preset of {@code trainer.model} ({@code tiny}, {@code small}, …) or {@code
 *     LAYERSxWIDTH} ({@code 2x64}) over {@code trainer.model}
 * @param tokens the token budget: the run stops at the first step that reaches it
 */
public record SweepPoint(int index, String size, long tokens) {

  /** The run id of this point in the sweep called {@code sweep}. */
  public String runId(String sweep) {
    return sweep + "-" + size + "-" + tokens;
  }

  /** Optimizer steps to train {@code tokens}, a step being {@code tokensPerStep} tokens. */
  public long steps(long tokensPerStep) {
    return (tokens + tokensPerStep - 1) / tokensPerStep;
  }

  /**
   * The configuration keys that make the trainer train this point: its run, its size, its steps,
   * and a learning-rate decay that ends with the run, as Hoffmann et al. found a cosine cycle must
   * (arXiv:2203.15556, section 3.1 and appendix B: one longer than the run leaves the loss higher).
   */
  public Map<String, String> trainerSettings(String sweep, long tokensPerStep) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(TrainerKeys.RUN_ID, runId(sweep));
    int x = size.indexOf('x');
    if (x > 0) {
      settings.put(TrainerKeys.MODEL_LAYERS, size.substring(0, x));
      settings.put(TrainerKeys.MODEL_WIDTH, size.substring(x + 1));
    } else {
      settings.put(TrainerKeys.MODEL, size);
    }
    String steps = String.valueOf(steps(tokensPerStep));
    settings.put(TrainerKeys.MAX_STEPS, steps);
    settings.put(TrainerKeys.DECAY_STEPS, steps);
    return settings;
  }
}
