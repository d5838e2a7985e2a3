package org.millrace.trainer.diloco;

import java.time.Duration;

/**
 * How this trainer takes part in a DiLoCo run (Douillard et al. 2023, arXiv:2311.08105): one of
 * {@code workers} trainers of the same model, each training {@code innerSteps} AdamW steps on its
 * own share of the token topic between two outer steps (docs/operations.md, "Several trainers").
 *
 * @param workers K, the trainers of the run; 1: a single trainer, no outer steps (the default)
 * @param worker I, this trainer's index, 0 to K − 1
 * @param innerSteps H, inner steps per round (the paper's 500)
 * @param outerLearningRate η of the outer Nesterov SGD (the paper's 0.7)
 * @param outerMomentum μ of the outer Nesterov SGD (the paper's 0.9)
 * @param roundTimeout how long a worker that has sent its contribution waits for the others before
 *     it closes the round with those present
 * @param quorum the fewest contributions a round may close with when the timeout passes
 * @param encoding how this worker's pseudo-gradients travel: fp32, or fp16 for half the bytes
 */
public record DilocoSettings(
    int workers,
    int worker,
    int innerSteps,
    double outerLearningRate,
    double outerMomentum,
    Duration roundTimeout,
    int quorum,
    PseudoGradientEncoding encoding) {

  public DilocoSettings {
    if (workers < 1) {
      throw new IllegalArgumentException("at least one worker, got " + workers);
    }
    if (worker < 0 || worker >= workers) {
      throw new IllegalArgumentException(
          "worker index "
              + worker
              + " is not one of the "
              + workers
              + " workers (0 to "
              + (workers - 1)
              + ")");
    }
    if (quorum < 1 || quorum > workers) {
      throw new IllegalArgumentException(
          "the quorum must be between 1 and the number of workers ("
              + workers
              + "), got "
              + quorum);
    }
    if (innerSteps < 1) {
      throw new IllegalArgumentException("at least one inner step per round, got " + innerSteps);
    }
  }

  /** Whether there are outer steps at all: more than one worker. */
  public boolean enabled() {
    return workers > 1;
  }
}
