package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;

/**
 * The language-modelling loss, cross-entropy of the target token, as PyTorch's {@code
 * F.cross_entropy} in nanoGPT. DJL exposes no fused kernel, so it is log-softmax then a gather of
 * the target's log-probability (docs/djl.md, fact 5).
 */
public final class CrossEntropy {

  private CrossEntropy() {}

  /**
   * {@code Σ weight · -log softmax(logits)[target]} over all positions. The trainer divides it by
   * the number of predicted positions of the whole batch, so that the micro-batches of a
   * gradient-accumulation step add up to the mean of the batch; a weight of 0 leaves a position out
   * of the loss, as PyTorch's {@code ignore_index}.
   *
   * @param logits (B, T, V) scores
   * @param targets (B, T) int64 token ids, the token each position must predict
   * @param weights (B, T) float32, 1 for a position whose prediction counts, 0 for one that does
   *     not
   * @return a scalar in the manager of {@code logits}
   */
  public static NDArray weightedSum(NDArray logits, NDArray targets, NDArray weights) {
    long vocab = logits.getShape().get(logits.getShape().dimension() - 1);
    NDArray logProbabilities = logits.reshape(-1, vocab).logSoftmax(1);
    NDArray negativeLogLikelihood = logProbabilities.gather(targets.reshape(-1, 1), 1).neg();
    return negativeLogLikelihood.reshape(-1).mul(weights.reshape(-1)).sum();
  }
}
