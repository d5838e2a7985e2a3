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
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GPT-2-style language model: token and learned position embeddings, {@link TransformerBlock}s, a
 * final LayerNorm and an LM head. Input: (B, T) int64 token ids with T at most {@link
 * GptConfig#blockSize()}; output: (B, T, vocabSize) logits for the next token at each position.
 *
 * <p>Parameters have dotted names that follow the block tree, e.g. {@code tokenEmbedding}, {@code
 * blocks.0.attention.qkv.weight}, {@code finalNorm.gamma}, {@code lmHead.weight} (untied only); the
 * checkpoint files use the same names. Initialisation is GPT-2's, as in nanoGPT: weights and
 * embeddings N(0, 0.02), residual output projections N(0, 0.02/sqrt(2·layers)), biases 0, LayerNorm
 * gamma 1 and beta 0.
 */
public final class Gpt extends AbstractBlock {

  /**
   * Standard deviation of the weight initialisation: N(0, 0.02) from GPT-1 (Radford et al. 2018,
   * section 4.1), kept by GPT-2 and nanoGPT's {@code _init_weights}.
   */
  static final float INIT_STD = 0.02f;

  private final GptConfig config;
  private final Parameter tokenEmbedding;
  private final Parameter positionEmbedding;
  private final List<TransformerBlock> blocks = new ArrayList<>();
  private final LayerNorm finalNorm;
  private final Linear lmHead;
  private final Map<String, Parameter> namedParameters;

  /** Builds the model for {@code config}; call {@link #initializeParameters} before use. */
  public Gpt(GptConfig config) {
    this.config = config;
    tokenEmbedding = addParameter(embedding("tokenEmbedding", config.vocabSize(), config));
    positionEmbedding = addParameter(embedding("positionEmbedding", config.blockSize(), config));
    for (int i = 0; i < config.layers(); i++) {
      blocks.add(addChildBlock("blocks." + i, new TransformerBlock(config)));
    }
    finalNorm = addChildBlock("finalNorm", TransformerBlock.channelNorm());
    if (config.tiedEmbeddings()) {
      lmHead = null;
    } else {
      lmHead =
          addChildBlock(
              "lmHead", Linear.builder().setUnits(config.vocabSize()).optBias(false).build());
      lmHead.setInitializer(new NormalInitializer(INIT_STD), Parameter.Type.WEIGHT);
    }
    Map<String, Parameter> named = new LinkedHashMap<>();
    collectParameters("", this, named);
    namedParameters = Collections.unmodifiableMap(named);
  }

  /**
   * Standard deviation for the weights of projections that write into the residual stream: GPT-2
   * (section 2.3) scales them by 1/sqrt(N) for N residual layers, two per block (nanoGPT).
   */
  static float residualInitStd(GptConfig config) {
    return (float) (INIT_STD / Math.sqrt(2.0 * config.layers()));
  }

  private static Parameter embedding(String name, int rows, GptConfig config) {
    return Parameter.builder()
        .setName(name)
        .setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(rows, config.embeddingDim()))
        .optInitializer(new NormalInitializer(INIT_STD))
        .build();
  }

  /**
   * Draws every parameter in {@code manager} from the engine's generator seeded with {@code seed},
   * so two models initialised with the same seed are identical. The seed is the engine's global one
   * (PyTorch's {@code manual_seed}).
   */
  public void initializeParameters(NDManager manager, int seed) {
    manager.getEngine().setRandomSeed(seed);
    initialize(manager, DataType.FLOAT32, new Shape(1, config.blockSize()));
    // the array names become the safetensors keys of a checkpoint
    namedParameters.forEach((name, parameter) -> parameter.getArray().setName(name));
  }

  /** The configuration this model was built for. */
  public GptConfig config() {
    return config;
  }

  /** Every parameter by its dotted name, in a fixed order. */
  public Map<String, Parameter> namedParameters() {
    return namedParameters;
  }

  /**
   * The live parameter arrays, each named by its dotted name, for writing a checkpoint. They belong
   * to the model: do not close them.
   */
  public NDList weights() {
    NDList weights = new NDList(namedParameters.size());
    namedParameters.values().forEach(parameter -> weights.add(parameter.getArray()));
    return weights;
  }

  /**
   * Copies {@code weights} into this model's parameters, matching them by name. The list must hold
   * exactly this model's parameter names with the same shapes, as {@link #weights()} gives.
   */
  public void loadWeights(NDList weights) {
    Map<String, NDArray> byName = new LinkedHashMap<>();
    weights.forEach(array -> byName.put(array.getName(), array));
    if (!byName.keySet().equals(namedParameters.keySet())) {
      throw new IllegalArgumentException(
          "Weights do not match the model: expected "
              + namedParameters.keySet()
              + " but got "
              + byName.keySet());
    }
    namedParameters.forEach(
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
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray ids = inputs.singletonOrThrow();
    Shape shape = ids.getShape();
    if (shape.dimension() != 2 || shape.get(1) > config.blockSize()) {
      throw new IllegalArgumentException(
          "Expected (batch, T) token ids with T <= " + config.blockSize() + ", got " + shape);
    }
    long t = shape.get(1);
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
    if (lmHead != null) {
      return lmHead.forward(parameterStore, hidden, training);
    }
    // Linear.linear keeps the result in the step's manager; x.matMul(wte.transpose()) would
    // leave the transposed matrix in the model's manager every step (shared/notes/djl.md, pitfall
    // 2)
    return Linear.linear(hidden.singletonOrThrow(), wte);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape hidden = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.embeddingDim());
    for (TransformerBlock block : blocks) {
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
      new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.vocabSize())
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
