package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.millrace.trainer.model.mamba.Mamba2State;

/**
 * A hybrid attention and state-space decoder in the style of Falcon-H1 (TII 2025, "Falcon-H1: A
 * Family of Hybrid-Head Language Models"): Llama's token embedding, final {@link RmsNorm} and LM
 * head around {@link HybridBlock}s, each running rotary grouped-query attention and a Mamba-2 mixer
 * side by side, trained to predict the next token. Input (B, T) int64 token ids with T at most
 * {@link HybridConfig#blockSize()}; output (B, T, vocabSize) logits.
 *
 * <p>Parameters: {@code tokenEmbedding}, {@code blocks.<i>.inputNorm.weight}, {@code
 * blocks.<i>.attention.{query,key,value,proj}.weight}, {@code blocks.<i>.mixer.inProj.weight},
 * {@code blocks.<i>.mixer.conv.{weight,bias}}, {@code blocks.<i>.mixer.{dtBias,aLog,d}}, {@code
 * blocks.<i>.mixer.norm.weight}, {@code blocks.<i>.mixer.outProj.weight}, {@code
 * blocks.<i>.mlpNorm.weight}, {@code blocks.<i>.mlp.{gate,up,down}.weight}, {@code
 * finalNorm.weight}, and {@code lmHead.weight} when untied.
 *
 * <p>As an {@link IncrementalDecoder} it generates with a KV cache for the attention and, for each
 * mixer, a convolution window and an SSM state of fixed size.
 */
public final class Hybrid extends LanguageModel implements IncrementalDecoder {

  private final HybridConfig config;
  private final RotaryEmbedding rotary;
  private final Parameter tokenEmbedding;
  private final List<HybridBlock> blocks = new ArrayList<>();
  private final RmsNorm finalNorm;
  private final Linear lmHead;

  /** Builds the model for {@code config}; call {@link #initializeParameters} before use. */
  public Hybrid(HybridConfig config) {
    this.config = config;
    rotary = new RotaryEmbedding(config.attentionHeadDim(), config.ropeTheta());
    tokenEmbedding =
        addParameter(embedding("tokenEmbedding", config.vocabSize(), config.embeddingDim()));
    for (int i = 0; i < config.layers(); i++) {
      blocks.add(addChildBlock("blocks." + i, new HybridBlock(config)));
    }
    finalNorm = addChildBlock("finalNorm", new RmsNorm(config.embeddingDim()));
    lmHead =
        config.tiedEmbeddings() ? null : addChildBlock("lmHead", untiedLmHead(config.vocabSize()));
  }

  @Override
  public HybridConfig config() {
    return config;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray ids = inputs.singletonOrThrow();
    long t = sequenceLength(ids);
    NDArray wte = parameterStore.getValue(tokenEmbedding, ids.getDevice(), training);
    NDList angles = rotary.angles(ids.getManager(), 0, (int) t);
    NDArray x = Embedding.embedding(ids, wte, SparseFormat.DENSE).singletonOrThrow();
    for (HybridBlock block : blocks) {
      x =
          block
              .forward(parameterStore, new NDList(x, angles.get(0), angles.get(1)), training)
              .head();
    }
    NDList hidden = finalNorm.forward(parameterStore, new NDList(x), training);
    return logits(parameterStore, hidden, lmHead, wte, training);
  }

  /** Block {@code i}, for tests that compare one block with a reference. */
  HybridBlock block(int i) {
    return blocks.get(i);
  }

  /** Per layer, a KV cache and a Mamba-2 state, in a manager of their own. */
  private final class HybridState implements State {
    private final NDManager manager;
    private final List<KeyValueCache> caches = new ArrayList<>();
    private final List<Mamba2State> mixerStates = new ArrayList<>();

    HybridState(NDManager parent, int batch) {
      manager = parent.newSubManager();
      DataType type = finalNorm.getParameters().valueAt(0).getArray().getDataType();
      for (HybridBlock block : blocks) {
        caches.add(block.attention().newCache(manager, batch, config.blockSize(), type));
        mixerStates.add(block.mixer().newState(manager, batch, type));
      }
    }

    @Override
    public long length() {
      return caches.get(0).length();
    }

    /** The attention's keys and values, which grow with the context. */
    long cacheBytes() {
      return caches.stream().mapToLong(KeyValueCache::bytes).sum();
    }

    @Override
    public long bytes() {
      return cacheBytes() + mixerStates.stream().mapToLong(Mamba2State::bytes).sum();
    }

    @Override
    public void close() {
      manager.close();
    }
  }

  @Override
  public State newState(NDManager manager, int batch) {
    return new HybridState(manager, batch);
  }

  @Override
  public NDArray nextLogits(ParameterStore parameterStore, NDArray ids, State state) {
    HybridState hybridState = (HybridState) state;
    long position = hybridState.length();
    if (position >= config.blockSize()) {
      throw new IllegalStateException(
          "the state holds " + position + " positions, the block size: start a new one");
    }
    NDArray wte = parameterStore.getValue(tokenEmbedding, ids.getDevice(), false);
    NDList angles = rotary.angles(ids.getManager(), position, 1);
    NDArray x = Embedding.embedding(ids, wte, SparseFormat.DENSE).singletonOrThrow();
    for (int i = 0; i < blocks.size(); i++) {
      x =
          blocks
              .get(i)
              .step(
                  parameterStore,
                  x,
                  angles,
                  hybridState.caches.get(i),
                  hybridState.mixerStates.get(i));
    }
    NDList hidden = finalNorm.forward(parameterStore, new NDList(x), false);
    NDArray logits = logits(parameterStore, hidden, lmHead, wte, false).singletonOrThrow();
    return logits.squeeze(1);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape hidden = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.embeddingDim());
    for (HybridBlock block : blocks) {
      block.initialize(manager, dataType, hidden);
    }
    finalNorm.initialize(manager, dataType, hidden);
    if (lmHead != null) {
      lmHead.initialize(manager, dataType, hidden);
    }
  }
}
