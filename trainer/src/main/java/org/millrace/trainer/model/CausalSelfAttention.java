package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * Multi-head causal self-attention: one projection to queries, keys and values for all heads, the
 * scaled dot product with a causal mask, softmax, and an output projection back to the residual
 * stream. Parameters: {@code qkv.weight}, {@code qkv.bias}, {@code proj.weight}, {@code proj.bias}.
 *
 * <p>Input and output are (B, T, C). DJL exposes no fused attention kernel, so this is nanoGPT's
 * "manual implementation": matmul, mask, softmax over the last axis, matmul.
 */
public final class CausalSelfAttention extends AbstractBlock {

  private final int heads;
  private final int headDim;
  private final Linear qkv;
  private final Linear proj;

  /** Builds the block for {@code config}, with GPT-2's initialisation set on its weights. */
  public CausalSelfAttention(GptConfig config) {
    heads = config.heads();
    headDim = config.headDim();
    qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * config.embeddingDim()).build());
    proj = addChildBlock("proj", Linear.builder().setUnits(config.embeddingDim()).build());
    qkv.setInitializer(new NormalInitializer(Gpt.INIT_STD), Parameter.Type.WEIGHT);
    proj.setInitializer(new NormalInitializer(Gpt.residualInitStd(config)), Parameter.Type.WEIGHT);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    long c = x.getShape().get(2);

    NDList qkvSplit = qkv.forward(parameterStore, inputs, training).singletonOrThrow().split(3, 2);
    // split C into heads that attend independently: q and v (B, heads, T, headDim), and k already
    // transposed for the scores, (B, heads, headDim, T)
    NDArray q = qkvSplit.get(0).reshape(b, t, heads, headDim).transpose(0, 2, 1, 3);
    NDArray k = qkvSplit.get(1).reshape(b, t, heads, headDim).transpose(0, 2, 3, 1);
    NDArray v = qkvSplit.get(2).reshape(b, t, heads, headDim).transpose(0, 2, 1, 3);

    // scores (B, heads, T, T), scaled by 1/sqrt(headDim) as in "Attention Is All You Need"
    // (arXiv:1706.03762) section 3.2.1. The scale is a tensor PyTorch allocates (full), never a
    // Java
    // number: DJL turns a number into a tensor over a Java buffer that it frees after the call, but
    // autograd keeps that tensor for the backward pass, which then reads freed memory (gradients of
    // Infinity or NaN as soon as the garbage collector reuses the buffer).
    NDArray scale = x.getManager().full(new Shape(), (float) (1.0 / Math.sqrt(headDim)));
    NDArray scores = q.matMul(k).mul(scale);
    NDArray y = scores.add(causalMask(x.getManager(), t)).softmax(-1).matMul(v);

    // re-assemble the heads side by side: (B, heads, T, headDim) -> (B, T, C)
    NDArray merged = y.transpose(0, 2, 1, 3).reshape(b, t, c);
    return proj.forward(parameterStore, new NDList(merged), training);
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

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    qkv.initialize(manager, dataType, inputShapes[0]);
    proj.initialize(manager, dataType, inputShapes[0]);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
