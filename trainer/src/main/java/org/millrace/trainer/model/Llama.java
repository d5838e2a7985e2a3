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

/**
 * A Llama-style decoder (Touvron et al. 2023, arXiv:2302.13971), as Meta's {@code model.py} and
 * llama2.c's: a token embedding without position embedding (positions enter as rotations of queries
 * and keys, {@link RotaryEmbedding}), {@link LlamaBlock}s, a final {@link RmsNorm} and an LM head,
 * trained to predict the next token ({@link NextTokenPrediction}). Input: (B, T) int64 token ids
 * with T at most {@link LlamaConfig#blockSize()}; output: (B, T, vocabSize) logits.
 *
 * <p>Parameters: {@code tokenEmbedding}, {@code blocks.<i>.attentionNorm.weight}, {@code
 * blocks.<i>.attention.{query,key,value,proj}.weight}, {@code blocks.<i>.mlpNorm.weight}, {@code
 * blocks.<i>.mlp.{gate,up,down}.weight}, {@code finalNorm.weight} and {@code lmHead.weight} (untied
 * only). Initialisation is GPT-2's ({@link LanguageModel}), as llama2.c's: Meta's code does not
 * publish one.
 *
 * <p>As an {@link IncrementalDecoder} it generates with a KV cache per layer.
 */
public final class Llama extends LanguageModel implements IncrementalDecoder {

  private final LlamaConfig config;
  private final RotaryEmbedding rotary;
  private final Parameter tokenEmbedding;
  private final List<LlamaBlock> blocks = new ArrayList<>();
  private final RmsNorm finalNorm;
  private final Linear lmHead;

  /** Builds the model for {@code config}; call {@link #initializeParameters} before use. */
  public Llama(LlamaConfig config) {
    this.config = config;
    rotary = new RotaryEmbedding(config.headDim(), config.ropeTheta());
    tokenEmbedding =
        addParameter(embedding("tokenEmbedding", config.vocabSize(), config.embeddingDim()));
    for (int i = 0; i < config.layers(); i++) {
      blocks.add(addChildBlock("blocks." + i, new LlamaBlock(config)));
    }
    finalNorm = addChildBlock("finalNorm", new RmsNorm(config.embeddingDim()));
    lmHead =
        config.tiedEmbeddings() ? null : addChildBlock("lmHead", untiedLmHead(config.vocabSize()));
  }

  @Override
  public LlamaConfig config() {
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
    // the angles of positions 0 to T-1, shared by every layer (Meta's freqs_cis)
    NDList angles = rotary.angles(ids.getManager(), 0, (int) t);

    NDArray x = Embedding.embedding(ids, wte, SparseFormat.DENSE).singletonOrThrow();
    for (LlamaBlock block : blocks) {
      x =
          block
              .forward(parameterStore, new NDList(x, angles.get(0), angles.get(1)), training)
              .head();
    }
    NDList hidden = finalNorm.forward(parameterStore, new NDList(x), training);
    return logits(parameterStore, hidden, lmHead, wte, training);
  }

  /** A KV cache per layer, in a manager of its own. */
  private final class CacheState implements State {
    private final NDManager manager;
    private final List<KeyValueCache> caches = new ArrayList<>();

    CacheState(NDManager parent, int batch) {
      manager = parent.newSubManager();
      DataType type = tokenEmbedding.getArray().getDataType();
      for (LlamaBlock block : blocks) {
        caches.add(block.attention().newCache(manager, batch, config.blockSize(), type));
      }
    }

    @Override
    public long length() {
      return caches.get(0).length();
    }

    @Override
    public long bytes() {
      return caches.stream().mapToLong(KeyValueCache::bytes).sum();
    }

    @Override
    public void close() {
      manager.close();
    }
  }

  @Override
  public State newState(NDManager manager, int batch) {
    return new CacheState(manager, batch);
  }

  @Override
  public NDArray nextLogits(ParameterStore parameterStore, NDArray ids, State state) {
    CacheState caches = (CacheState) state;
    long position = caches.length();
    NDArray wte = parameterStore.getValue(tokenEmbedding, ids.getDevice(), false);
    NDList angles = rotary.angles(ids.getManager(), position, 1);
    NDArray x = Embedding.embedding(ids, wte, SparseFormat.DENSE).singletonOrThrow();
    for (int i = 0; i < blocks.size(); i++) {
      x = blocks.get(i).step(parameterStore, x, angles, caches.caches.get(i));
    }
    NDList hidden = finalNorm.forward(parameterStore, new NDList(x), false);
    return logits(parameterStore, hidden, lmHead, wte, false).singletonOrThrow().squeeze(1);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape hidden = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.embeddingDim());
    for (LlamaBlock block : blocks) {
      block.initialize(manager, dataType, hidden);
    }
    finalNorm.initialize(manager, dataType, hidden);
    if (lmHead != null) {
      lmHead.initialize(manager, dataType, hidden);
    }
  }
}
