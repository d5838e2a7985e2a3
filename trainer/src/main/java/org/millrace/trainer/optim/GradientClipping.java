package org.millrace.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.Collection;

/**
 * Clipping by the global L2 norm of all gradients together, as PyTorch's {@code clip_grad_norm_}
 * that nanoGPT applies with a maximum of 1.0. DJL's {@code optClipGrad} clamps each element
 * instead, which changes the gradient's direction (docs/djl.md, fact 3).
 */
public final class GradientClipping {

  private GradientClipping() {}

  /**
   * Scales every gradient in place by the same factor {@code maxNorm / (norm + 1e-6)} when their
   * global norm exceeds {@code maxNorm}; leaves them untouched otherwise. The 1e-6 is PyTorch's.
   *
   * @return the global norm before clipping, for logging
   */
  public static float clipGlobalNorm(Collection<NDArray> gradients, float maxNorm) {
    if (gradients.isEmpty()) {
      return 0f;
    }
    // one norm per gradient, then the norm of those norms: a single read back to Java per step
    NDList norms = new NDList(gradients.size());
    for (NDArray gradient : gradients) {
      norms.add(gradient.norm());
    }
    float totalNorm;
    try (NDArray stacked = NDArrays.stack(norms);
        NDArray norm = stacked.norm()) {
      totalNorm = norm.getFloat();
    } finally {
      norms.close();
    }
    if (totalNorm > maxNorm) {
      float scale = maxNorm / (totalNorm + 1e-6f);
      for (NDArray gradient : gradients) {
        gradient.muli(scale);
      }
    }
    return totalNorm;
  }
}
