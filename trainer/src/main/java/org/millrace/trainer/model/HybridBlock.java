package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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
 * ({@link SwiGlu}). Input: (B, T, C) and the rotary angles of T positions; output (B, T, C). Its
 * generation state is the attention's {@link KeyValueCache} and the mixer's {@link Mamba2State}.
 */
public final class HybridBlock extends ResidualBlock {

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
    NDArray x = inputs.head();
    NDList normed = inputNorm.forward(parameterStore, new NDList(x), training);
    NDList attentionInputs = new NDList(normed.head()).addAll(positions(inputs));
    NDArray attended = attention.forward(parameterStore, attentionInputs, training).head();
    NDArray mixed = mixer.forward(parameterStore, normed, training).head();
    NDArray h = x.add(attended).add(mixed);
    return new NDList(addNormed(parameterStore, h, mlpNorm, mlp, new NDList(), training));
  }

  /** A layer's generation state: the attention's keys and values, and the mixer's state. */
  record State(KeyValueCache cache, Mamba2State mixer) implements LayerState {

    @Override
    public long bytes() {
      return cache.bytes() + mixer.bytes();
    }
  }

  @Override
  State newState(NDManager manager, int batch, int capacity, DataType type) {
    return new State(
        attention.newCache(manager, batch, capacity, type), mixer.newState(manager, batch, type));
  }

  @Override
  NDArray step(ParameterStore parameterStore, NDArray x, NDList angles, LayerState state) {
    State layer = (State) state;
    NDArray normed = inputNorm.forward(parameterStore, new NDList(x), false).head();
    NDArray attended = attention.step(parameterStore, normed, angles, layer.cache());
    NDArray mixed = mixer.step(parameterStore, normed, layer.mixer());
    NDArray h = x.add(attended).add(mixed);
    return addNormed(parameterStore, h, mlpNorm, mlp, new NDList(), false);
  }

  /** The Mamba-2 mixer, for tests that compare it with a reference. */
  Mamba2Mixer mixer() {
    return mixer;
  }
}
