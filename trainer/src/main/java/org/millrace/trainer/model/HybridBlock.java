package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.millrace.trainer.model.mamba.Mamba2Mixer;
import org.millrace.trainer.model.mamba.Mamba2State;

/**
 * One hybrid block, as Falcon-H1's (TII 2025, "Falcon-H1: A Family of Hybrid-Head Language
 * Models"): attention and a Mamba-2 mixer read the same normalised input in parallel and both write
 * into the residual stream, {@code h = x + attention(rmsNorm(x)) + mamba(rmsNorm(x))}, then {@code
 * h + swiGlu(rmsNorm(h))}. Falcon-H1's per-branch multipliers (µP) are left out: they are 1 here.
 *
 * <p>Children: {@code inputNorm}, {@code attention} ({@link GroupedQueryAttention} with rotary
 * positions, as in our Llama), {@code mixer} ({@link Mamba2Mixer}), {@code mlpNorm}, {@code mlp}
 * ({@link SwiGlu}). Input: (B, T, C) and the rotary angles of T positions; output (B, T, C).
 */
public final class HybridBlock extends AbstractBlock {

  private final RmsNorm inputNorm;
  private final GroupedQueryAttention attention;
  private final Mamba2Mixer mixer;
  private final RmsNorm mlpNorm;
  private final SwiGlu mlp;

  /** Builds the block for {@code config}. */
  public HybridBlock(HybridConfig config) {
    int c = config.embeddingDim();
    inputNorm = addChildBlock("inputNorm", new RmsNorm(c));
    attention =
        addChildBlock(
            "attention",
            new GroupedQueryAttention(
                c,
                config.attentionHeads(),
                config.kvHeads(),
                config.attentionHeadDim(),
                config.ropeTheta(),
                config.layers()));
    mixer = addChildBlock("mixer", new Mamba2Mixer(config.mamba()));
    mlpNorm = addChildBlock("mlpNorm", new RmsNorm(c));
    mlp = addChildBlock("mlp", new SwiGlu(c, config.hiddenDim(), config.layers()));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDList normed = inputNorm.forward(parameterStore, new NDList(x), training);
    NDList attentionInputs = new NDList(normed.head(), inputs.get(1), inputs.get(2));
    NDArray attended = attention.forward(parameterStore, attentionInputs, training).head();
    NDArray mixed = mixer.forward(parameterStore, normed, training).head();
    return new NDList(feedForward(parameterStore, x.add(attended).add(mixed), training));
  }

  /**
   * One position for generation: {@code x} (B, 1, C) with the angles of its position, reading and
   * extending the attention's {@code cache} and updating the mixer's {@code state}.
   */
  NDArray step(
      ParameterStore parameterStore,
      NDArray x,
      NDList angles,
      KeyValueCache cache,
      Mamba2State state) {
    NDArray normed = inputNorm.forward(parameterStore, new NDList(x), false).head();
    NDArray attended = attention.step(parameterStore, normed, angles, cache);
    NDArray mixed = mixer.step(parameterStore, normed, state);
    return feedForward(parameterStore, x.add(attended).add(mixed), false);
  }

  private NDArray feedForward(ParameterStore parameterStore, NDArray h, boolean training) {
    NDArray normed = mlpNorm.forward(parameterStore, new NDList(h), training).head();
    return h.add(mlp.forward(parameterStore, new NDList(normed), training).head());
  }

  GroupedQueryAttention attention() {
    return attention;
  }

  Mamba2Mixer mixer() {
    return mixer;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    inputNorm.initialize(manager, dataType, inputShapes[0]);
    attention.initialize(manager, dataType, inputShapes[0]);
    mixer.initialize(manager, dataType, inputShapes[0]);
    mlpNorm.initialize(manager, dataType, inputShapes[0]);
    mlp.initialize(manager, dataType, inputShapes[0]);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
