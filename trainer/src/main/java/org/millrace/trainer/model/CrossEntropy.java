package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;

/**
 * The language-modelling loss: mean cross-entropy of the next token, as PyTorch's {@code
 * F.cross_entropy} in nanoGPT. DJL exposes no fused kernel, so it is log-softmax then a gather of
 * the target's log-probability (shared/notes/djl.md, pitfall 5).
 */
public final class CrossEntropy {

  private CrossEntropy() {}

  /**
   * Mean over all positions of {@code -log softmax(logits)[target]}.
   *
   * @param logits (B, T, V) scores
   * @param targets (B, T) int64 token ids, the token that follows each position
   * @return a scalar in the manager of {@code logits}
   */
  public static NDArray mean(NDArray logits, NDArray targets) {
    long vocab = logits.getShape().get(logits.getShape().dimension() - 1);
    NDArray logProbabilities = logits.reshape(-1, vocab).logSoftmax(1);
    return logProbabilities.gather(targets.reshape(-1, 1), 1).neg().mean();
  }
}
