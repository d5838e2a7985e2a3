package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * {@code softmax(q·kᵀ / sqrt(headDim) + mask)·v}, "Attention Is All You Need" (arXiv:1706.03762)
 * section 3.2.1, for every head at once. DJL exposes no fused kernel ({@code
 * scaled_dot_product_attention}), so this is nanoGPT's "manual implementation": matmul, mask,
 * softmax over the last axis, matmul (docs/djl.md, fact 5).
 */
public final class ScaledDotProductAttention {

  private ScaledDotProductAttention() {}

  /**
   * Attends from every query to the keys, to the keys at or before its own position only when
   * {@code causal}.
   *
   * @param q queries (B, heads, T, headDim)
   * @param k keys (B, heads, T, headDim)
   * @param v values (B, heads, T, headDim)
   * @return (B, heads, T, headDim), in the manager of {@code q}
   */
  public static NDArray attend(NDArray q, NDArray k, NDArray v, boolean causal) {
    NDManager manager = q.getManager();
    long t = q.getShape().get(2);
    long headDim = q.getShape().get(3);
    // The scale is a tensor PyTorch allocates (full), never a Java number: DJL turns a number into
    // a tensor over a Java buffer that it frees after the call, but autograd keeps that tensor for
    // the backward pass, which then reads freed memory (gradients of Infinity or NaN as soon as the
    // garbage collector reuses the buffer).
    NDArray scale = manager.full(new Shape(), (float) (1.0 / Math.sqrt(headDim)));
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale);
    if (causal) {
      scores = scores.add(causalMask(manager, t));
    }
    return scores.softmax(-1).matMul(v);
  }

  /**
   * A (T, T) mask to add to the scores: 0 where key position j is at or before query position i,
   * minus infinity where it comes after, so that softmax gives the future no weight. It is built in
   * the step's manager, which frees it with the step. (DJL's {@code where} does not broadcast,
   * hence the full-size operands.)
   */
  private static NDArray causalMask(NDManager manager, long t) {
    NDArray positions = manager.arange(0, (int) t, 1, DataType.INT64);
    NDArray future = positions.reshape(1, t).gt(positions.reshape(t, 1));
    Shape square = new Shape(t, t);
    return NDArrays.where(
        future, manager.full(square, Float.NEGATIVE_INFINITY), manager.zeros(square));
  }
}
