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
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The body that GPT-2 and a BERT-style encoder share: token and learned position embeddings, pre-
 * LayerNorm {@link TransformerBlock}s, a final LayerNorm and an LM head (the token embedding itself
 * when tied). The two differ only in the attention mask, causal or not, and in what they are
 * trained to predict ({@link ModelConfig#objective()}).
 *
 * <p>Parameters: {@code tokenEmbedding}, {@code positionEmbedding}, {@code blocks.<i>.…} (see
 * {@link TransformerBlock}), {@code finalNorm.gamma}, {@code finalNorm.beta} and {@code
 * lmHead.weight} (untied only).
 */
abstract sealed class LearnedPositionTransformer extends LanguageModel permits Gpt, Encoder {

  private final int width;
  private final Parameter tokenEmbedding;
  private final Parameter positionEmbedding;
  private final List<TransformerBlock> blocks = new ArrayList<>();
  private final LayerNorm finalNorm;
  private final Linear lmHead;

  LearnedPositionTransformer(
      int vocabSize,
      int blockSize,
      int layers,
      int heads,
      int embeddingDim,
      boolean tiedEmbeddings,
      boolean causal) {
    width = embeddingDim;
    tokenEmbedding = addParameter(embedding("tokenEmbedding", vocabSize, embeddingDim));
    positionEmbedding = addParameter(embedding("positionEmbedding", blockSize, embeddingDim));
    for (int i = 0; i < layers; i++) {
      blocks.add(
          addChildBlock("blocks." + i, new TransformerBlock(embeddingDim, heads, layers, causal)));
    }
    finalNorm = addChildBlock("finalNorm", TransformerBlock.channelNorm());
    lmHead = tiedEmbeddings ? null : addChildBlock("lmHead", untiedLmHead(vocabSize));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray ids = inputs.singletonOrThrow();
    long t = sequenceLength(ids);
    NDManager manager = ids.getManager();
    NDArray wte = parameterStore.getValue(tokenEmbedding, ids.getDevice(), training);
    NDArray wpe = parameterStore.getValue(positionEmbedding, ids.getDevice(), training);

    NDArray positions = manager.arange(0, (int) t, 1, DataType.INT64);
    NDArray tokens = Embedding.embedding(ids, wte, SparseFormat.DENSE).singletonOrThrow();
    NDArray x =
        tokens.add(Embedding.embedding(positions, wpe, SparseFormat.DENSE).singletonOrThrow());

    NDList hidden = new NDList(x);
    for (TransformerBlock block : blocks) {
      hidden = block.forward(parameterStore, hidden, training);
    }
    hidden = finalNorm.forward(parameterStore, hidden, training);
    return logits(parameterStore, hidden, lmHead, wte, training);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape hidden = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), width);
    for (TransformerBlock block : blocks) {
      block.initialize(manager, dataType, hidden);
    }
    finalNorm.initialize(manager, dataType, hidden);
    if (lmHead != null) {
      lmHead.initialize(manager, dataType, hidden);
    }
  }
}
