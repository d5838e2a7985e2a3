package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;

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

  private final Parameter positionEmbedding;

  /**
   * Builds the model for {@code config}, whose heads must divide its width.
   *
   * @param causal whether a position may attend to the positions before it only
   */
  LearnedPositionTransformer(ModelConfig config, int heads, boolean causal) {
    super(
        config,
        () -> new TransformerBlock(config.embeddingDim(), heads, config.layers(), causal),
        TransformerBlock.channelNorm());
    positionEmbedding =
        addParameter(
            GptInitialisation.embedding(
                "positionEmbedding", config.blockSize(), config.embeddingDim()));
  }

  /** The tokens plus the learned embeddings of their positions; the blocks read nothing else. */
  @Override
  NDList withPositions(
      ParameterStore parameterStore,
      NDManager manager,
      NDArray tokens,
      long start,
      boolean training) {
    NDArray wpe = parameterStore.getValue(positionEmbedding, tokens.getDevice(), training);
    long t = tokens.getShape().get(1);
    NDArray positions = manager.arange((int) start, (int) (start + t), 1, DataType.INT64);
    return new NDList(
        tokens.add(Embedding.embedding(positions, wpe, SparseFormat.DENSE).singletonOrThrow()));
  }
}
