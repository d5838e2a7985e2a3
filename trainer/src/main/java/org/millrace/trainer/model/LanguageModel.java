package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every model of the zoo has in common: (B, T) int64 token ids in, (B, T, vocabSize) logits
 * out, parameters with dotted names that follow the block tree ({@code tokenEmbedding}, {@code
 * blocks.0.attention.proj.weight}, {@code lmHead.weight}), which the checkpoint files use as keys,
 * and GPT-2's initialisation: weights and embeddings N(0, 0.02), residual output projections N(0,
 * 0.02/sqrt(2·layers)), biases 0, norm gains 1.
 */
public abstract sealed class LanguageModel extends AbstractBlock
    permits LearnedPositionTransformer, Llama, Hybrid {

  /**
   * Standard deviation of the weight initialisation: N(0, 0.02) from GPT-1 (Radford et al. 2018,
   * section 4.1), kept by GPT-2, nanoGPT's {@code _init_weights} and llama2.c.
   */
  static final float INIT_STD = 0.02f;

  private Map<String, Parameter> namedParameters;

  /** The configuration this model was built for. */
  public abstract ModelConfig config();

  /**
   * Standard deviation for the weights of projections that write into the residual stream: GPT-2
   * (section 2.3) scales them by 1/sqrt(N) for N residual layers, two per block (nanoGPT).
   */
  static float residualInitStd(int layers) {
    return (float) (INIT_STD / Math.sqrt(2.0 * layers));
  }

  /** An embedding matrix of {@code rows} vectors of {@code width}, drawn from N(0, 0.02). */
  static Parameter embedding(String name, int rows, int width) {
    return Parameter.builder()
        .setName(name)
        .setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(rows, width))
        .optInitializer(new NormalInitializer(INIT_STD))
        .build();
  }

  /** A bias-free projection from the residual stream to the vocabulary, drawn from N(0, 0.02). */
  static Linear untiedLmHead(int vocabSize) {
    Linear head = Linear.builder().setUnits(vocabSize).optBias(false).build();
    head.setInitializer(new NormalInitializer(INIT_STD), Parameter.Type.WEIGHT);
    return head;
  }

  /**
   * The logits of {@code hidden} (B, T, C): through {@code lmHead}, or through the token embedding
   * {@code wte} itself when the embeddings are tied ({@code lmHead} null).
   */
  static NDList logits(
      ParameterStore parameterStore, NDList hidden, Linear lmHead, NDArray wte, boolean training) {
    if (lmHead != null) {
      return lmHead.forward(parameterStore, hidden, training);
    }
    // Linear.linear keeps the result in the step's manager; x.matMul(wte.transpose()) would
    // leave the transposed matrix in the model's manager every step (docs/djl.md, fact
    // 2)
    return Linear.linear(hidden.singletonOrThrow(), wte);
  }

  /** The length T of a (batch, T) input of token ids, which must not exceed the block size. */
  long sequenceLength(NDArray ids) {
    Shape shape = ids.getShape();
    if (shape.dimension() != 2 || shape.get(1) > config().blockSize()) {
      throw new IllegalArgumentException(
          "Expected (batch, T) token ids with T <= " + config().blockSize() + ", got " + shape);
    }
    return shape.get(1);
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
