package org.millrace.trainer.model;

import static org.millrace.trainer.model.GptInitialisation.projection;
import static org.millrace.trainer.model.GptInitialisation.residualProjection;

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
 * The position-wise feed-forward network of a transformer block: a linear layer to 4·C, GELU, and a
 * linear layer back to C (GPT-2; the 4x width is from "Attention Is All You Need", section 3.3).
 * Parameters: {@code fc.weight}, {@code fc.bias}, {@code proj.weight}, {@code proj.bias}.
 */
public final class Mlp extends AbstractBlock {

  private final Linear fc;
  private final Linear proj;

  /**
   * Builds the block with GPT-2's initialisation set on its weights.
   *
   * @param embeddingDim width C of the residual stream
   * @param layers blocks in the model, which scale the output projection's initialisation
   */
  public Mlp(int embeddingDim, int layers) {
    fc = addChildBlock("fc", projection(4L * embeddingDim, true));
    proj = addChildBlock("proj", residualProjection(embeddingDim, true, layers));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    // exact (erf) GELU, as PyTorch's nn.GELU() that nanoGPT uses
    NDList hidden = Activation.gelu(fc.forward(parameterStore, inputs, training));
    return proj.forward(parameterStore, hidden, training);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape input = inputShapes[0];
    fc.initialize(manager, dataType, input);
    proj.initialize(manager, dataType, fc.getOutputShapes(new Shape[] {input}));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
