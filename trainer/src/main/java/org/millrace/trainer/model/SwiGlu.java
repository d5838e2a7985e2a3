package org.millrace.trainer.model;

import static org.millrace.trainer.model.GptInitialisation.projection;
import static org.millrace.trainer.model.GptInitialisation.residualProjection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Llama's feed-forward network, SwiGLU (Shazeer 2020, "GLU Variants Improve Transformer",
 * arXiv:2002.05202): {@code down(silu(gate(x)) · up(x))}, bias-free. Parameters: {@code
 * gate.weight} and {@code up.weight} (hiddenDim, C), {@code down.weight} (C, hiddenDim); Meta's
 * {@code w1}, {@code w3} and {@code w2}.
 */
public final class SwiGlu extends AbstractBlock {

  private final Linear gate;
  private final Linear up;
  private final Linear down;

  /** Builds the block for {@code config}, with GPT-2's initialisation set on its weights. */
  public SwiGlu(LlamaConfig config) {
    this(config.embeddingDim(), config.hiddenDim(), config.layers());
  }

  /**
   * Builds the block from its sizes; {@code layers} scales the down projection's initialisation.
   */
  SwiGlu(int embeddingDim, int hiddenDim, int layers) {
    gate = addChildBlock("gate", projection(hiddenDim, false));
    up = addChildBlock("up", projection(hiddenDim, false));
    // down writes into the residual stream, so it gets GPT-2's scaled initialisation (llama2.c
    // scales w3, the up projection, instead: the residual one is w2)
    down = addChildBlock("down", residualProjection(embeddingDim, false, layers));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray gated = gate.forward(parameterStore, inputs, training).singletonOrThrow();
    NDArray linear = up.forward(parameterStore, inputs, training).singletonOrThrow();
    // silu(g) = g · sigmoid(g), written out: DJL's swish(beta) multiplies by a Java number
    NDArray hidden = gated.mul(Activation.sigmoid(gated)).mul(linear);
    return down.forward(parameterStore, new NDList(hidden), training);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape input = inputShapes[0];
    gate.initialize(manager, dataType, input);
    up.initialize(manager, dataType, input);
    down.initialize(manager, dataType, gate.getOutputShapes(new Shape[] {input}));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
