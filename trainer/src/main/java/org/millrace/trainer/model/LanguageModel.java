package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What every model of the zoo has in common, the layout of nanoGPT's {@code GPT}: a token
 * embedding, a stack of {@link ResidualBlock}s, a final norm and an LM head (the token embedding
 * itself when tied), from (B, T) int64 token ids to (B, T, vocabSize) logits. The models differ in
 * their block, their norm and how positions enter ({@link #withPositions}). Parameters have dotted
 * names that follow the block tree ({@code tokenEmbedding}, {@code blocks.0.attention.proj.weight},
 * {@code finalNorm.…}, {@code lmHead.weight}), which the checkpoint files use as keys;
 * initialisation is GPT-2's ({@link GptInitialisation}).
 *
 * <p>A causal model also generates one position at a time ({@link #newState}, {@link #nextLogits}),
 * each block keeping what it needs of the earlier positions.
 */
public abstract sealed class LanguageModel extends AbstractBlock
    permits LearnedPositionTransformer, RotaryDecoder {

  private final ModelConfig config;
  private final Parameter tokenEmbedding;
  private final List<ResidualBlock> blocks = new ArrayList<>();
  private final Block finalNorm;
  private final Linear lmHead;
  private Map<String, Parameter> namedParameters;

  /**
   * Builds the stack of {@code config}: {@code config.layers()} blocks made by {@code newBlock},
   * then {@code finalNorm}, then an LM head unless the embeddings are tied.
   */
  LanguageModel(ModelConfig config, Supplier<? extends ResidualBlock> newBlock, Block finalNorm) {
    this.config = config;
    tokenEmbedding =
        addParameter(
            GptInitialisation.embedding(
                "tokenEmbedding", config.vocabSize(), config.embeddingDim()));
    for (int i = 0; i < config.layers(); i++) {
      blocks.add(addChildBlock("blocks." + i, newBlock.get()));
    }
    this.finalNorm = addChildBlock("finalNorm", finalNorm);
    // a bias-free projection from the residual stream to the vocabulary
    lmHead =
        config.tiedEmbeddings()
            ? null
            : addChildBlock("lmHead", GptInitialisation.projection(config.vocabSize(), false));
  }

  /** The configuration this model was built for. */
  public ModelConfig config() {
    return config;
  }

  /** Block {@code i} of the stack, for tests that compare one block with a reference. */
  ResidualBlock block(int i) {
    return blocks.get(i);
  }

  /**
   * What the first block reads for {@code tokens} (B, T, C) at positions {@code start} to {@code
   * start + T - 1}: the stream, the tokens with whatever the model adds for their positions,
   * followed by what every block reads beside it (the rotary angles; nothing for a model whose
   * stream carries its positions). Its arrays are created in {@code manager}.
   */
  abstract NDList withPositions(
      ParameterStore parameterStore,
      NDManager manager,
      NDArray tokens,
      long start,
      boolean training);

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray ids = inputs.singletonOrThrow();
    requireWithinBlock(ids);
    NDArray wte = parameterStore.getValue(tokenEmbedding, ids.getDevice(), training);
    NDArray tokens = Embedding.embedding(ids, wte, SparseFormat.DENSE).singletonOrThrow();
    NDList stream = withPositions(parameterStore, ids.getManager(), tokens, 0, training);
    NDList positions = stream.subNDList(1);
    NDArray x = stream.head();
    for (ResidualBlock block : blocks) {
      x = block.forward(parameterStore, new NDList(x).addAll(positions), training).head();
    }
    return logits(parameterStore, x, wte, training);
  }

  /** The final norm, then the LM head or the tied token embedding {@code wte}. */
  private NDList logits(ParameterStore parameterStore, NDArray x, NDArray wte, boolean training) {
    NDList hidden = finalNorm.forward(parameterStore, new NDList(x), training);
    if (lmHead != null) {
      return lmHead.forward(parameterStore, hidden, training);
    }
    // Linear.linear keeps the result in the step's manager; x.matMul(wte.transpose()) would
    // leave the transposed matrix in the model's manager every step (docs/djl.md, fact
    // 2)
    return Linear.linear(hidden.singletonOrThrow(), wte);
  }

  /**
   * An empty generation state for {@code batch} sequences of at most the block size: one {@link
   * LayerState} per block, in a child of {@code manager}. The decoders ({@link Gpt}, {@link Llama},
   * {@link Hybrid}) are {@link IncrementalDecoder}s through this method and {@link #nextLogits}.
   *
   * @throws IllegalStateException for a model with bidirectional attention, which has no step
   */
  public IncrementalDecoder.State newState(NDManager manager, int batch) {
    DataType type = tokenEmbedding.getArray().getDataType();
    return new DecoderState(manager, blocks, batch, config().blockSize(), type);
  }

  /**
   * The logits (B, vocabSize) of the token after {@code ids} (B, 1), the next position of each
   * sequence, computed from what {@code state} kept of the earlier ones; adds it to {@code state}.
   * Call it without gradient recording.
   */
  public NDArray nextLogits(
      ParameterStore parameterStore, NDArray ids, IncrementalDecoder.State state) {
    DecoderState layers = (DecoderState) state;
    long position = layers.length();
    if (position >= config().blockSize()) {
      throw new IllegalStateException(
          "the state holds " + position + " positions, the block size: start a new one");
    }
    NDArray wte = parameterStore.getValue(tokenEmbedding, ids.getDevice(), false);
    NDArray tokens = Embedding.embedding(ids, wte, SparseFormat.DENSE).singletonOrThrow();
    NDList stream = withPositions(parameterStore, ids.getManager(), tokens, position, false);
    NDList positions = stream.subNDList(1);
    NDArray x = stream.head();
    for (int i = 0; i < blocks.size(); i++) {
      x = blocks.get(i).step(parameterStore, x, positions, layers.layer(i));
    }
    layers.advance();
    return logits(parameterStore, x, wte, false).singletonOrThrow().squeeze(1);
  }

  /** Throws unless {@code ids} is (batch, T) with T at most the block size. */
  private void requireWithinBlock(NDArray ids) {
    Shape shape = ids.getShape();
    if (shape.dimension() != 2 || shape.get(1) > config.blockSize()) {
      throw new IllegalArgumentException(
          "Expected (batch, T) token ids with T <= " + config.blockSize() + ", got " + shape);
    }
  }

  /**
   * Draws every parameter in {@code manager} from the engine's generator seeded with {@code seed},
   * so two models initialised with the same seed are identical. The seed is the engine's global one
   * (PyTorch's {@code manual_seed}).
   */
  public void initializeParameters(NDManager manager, int seed) {
    manager.getEngine().setRandomSeed(seed);
    initialize(manager, DataType.FLOAT32, new Shape(1, config().blockSize()));
    // the array names become the safetensors keys of a checkpoint
    namedParameters().forEach((name, parameter) -> parameter.getArray().setName(name));
  }

  /** Every parameter by its dotted name, in a fixed order. */
  public Map<String, Parameter> namedParameters() {
    if (namedParameters == null) {
      Map<String, Parameter> named = new LinkedHashMap<>();
      collectParameters("", this, named);
      namedParameters = Collections.unmodifiableMap(named);
    }
    return namedParameters;
  }

  /**
   * The live parameter arrays, each named by its dotted name, for writing a checkpoint. They belong
   * to the model: do not close them.
   */
  public NDList weights() {
    NDList weights = new NDList(namedParameters().size());
    namedParameters().values().forEach(parameter -> weights.add(parameter.getArray()));
    return weights;
  }

  /**
   * Copies {@code weights} into this model's parameters, matching them by name. The list must hold
   * exactly this model's parameter names with the same shapes, as {@link #weights()} gives.
   */
  public void loadWeights(NDList weights) {
    Map<String, NDArray> byName = new LinkedHashMap<>();
    weights.forEach(array -> byName.put(array.getName(), array));
    if (!byName.keySet().equals(namedParameters().keySet())) {
      throw new IllegalArgumentException(
          "Weights do not match the model: expected "
              + namedParameters().keySet()
              + " but got "
              + byName.keySet());
    }
    namedParameters()
        .forEach(
            (name, parameter) -> {
              NDArray target = parameter.getArray();
              NDArray source = byName.get(name);
              if (!source.getShape().equals(target.getShape())) {
                throw new IllegalArgumentException(
                    name
                        + " has shape "
                        + source.getShape()
                        + ", the model expects "
                        + target.getShape());
              }
              // an in-place copy keeps the parameter's array, its gradient and its name
              target.set(new NDIndex(":"), source);
            });
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape hidden = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.embeddingDim());
    for (ResidualBlock block : blocks) {
      block.initialize(manager, dataType, hidden);
    }
    finalNorm.initialize(manager, dataType, hidden);
    if (lmHead != null) {
      lmHead.initialize(manager, dataType, hidden);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {
      new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config().vocabSize())
    };
  }

  /**
   * Walks the block tree, joining names with dots. {@link AbstractBlock#addChildBlock} stores a
   * child as its position followed by its name ("01attention"); the position is dropped here.
   */
  private static void collectParameters(String prefix, Block block, Map<String, Parameter> into) {
    for (Pair<String, Parameter> parameter : block.getDirectParameters()) {
      into.put(prefix + parameter.getKey(), parameter.getValue());
    }
    for (Pair<String, Block> child : block.getChildren()) {
      String name = child.getKey().replaceFirst("^\\d+", "");
      collectParameters(prefix + name + ".", child.getValue(), into);
    }
  }
}
