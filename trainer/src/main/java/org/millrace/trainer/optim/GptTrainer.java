package org.millrace.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.millrace.trainer.model.CrossEntropy;
import org.millrace.trainer.model.Gpt;
import org.millrace.trainer.model.GptConfig;

/**
 * A {@link Gpt} under training: owns the model, its parameter store and its {@link AdamW}, and runs
 * one optimisation step per call of {@link #step}: forward, loss, backward, global-norm clipping,
 * AdamW update at the scheduled learning rate.
 *
 * <p>Everything a step allocates (token arrays, activations, gradients' handles) lives in a child
 * {@link NDManager} closed at the end of the step, so that the arrays attached to {@link
 * #manager()} between steps are exactly the parameters and the optimizer's two moments per
 * parameter.
 *
 * <p>A batch is given as {@code windows}: {@code batchSize} rows of T+1 consecutive token ids,
 * flattened; each row yields T inputs and the T targets shifted by one.
 */
public final class GptTrainer implements AutoCloseable {

  private final OptimizerConfig optimization;
  private final NDManager manager;
  private final Gpt model;
  private final ParameterStore parameterStore;
  private final AdamW optimizer;

  /**
   * Builds a model for {@code config} with parameters drawn from {@code seed}, and an optimizer
   * with zero moments.
   */
  public GptTrainer(GptConfig config, OptimizerConfig optimization, int seed) {
    this.optimization = optimization;
    this.manager = NDManager.newBaseManager();
    this.model = new Gpt(config);
    model.initializeParameters(manager, seed);
    // copy = false: the forward pass reads the parameters' own arrays, so their gradients land
    // where the optimizer looks for them
    this.parameterStore = new ParameterStore(manager, false);
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    model.namedParameters().forEach((name, parameter) -> arrays.put(name, parameter.getArray()));
    this.optimizer = new AdamW(arrays, optimization.adamW(), manager);
  }

  /** Runs one optimisation step on a batch and reports it. */
  public TrainingStep step(int[] windows, int batchSize) {
    Batch batch = toBatch(windows, batchSize);
    double learningRate = optimization.learningRate().lr(optimizer.stepCount());
    recordNoGraph();
    zeroGradients();
    try (NDManager stepManager = manager.newSubManager()) {
      NDArray inputs = stepManager.create(batch.inputs(), batch.shape());
      NDArray targets = stepManager.create(batch.targets(), batch.shape());
      NDArray loss;
      try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
        NDArray logits = model.forward(parameterStore, new NDList(inputs), true).singletonOrThrow();
        loss = CrossEntropy.mean(logits, targets);
        collector.backward(loss);
      }
      Map<String, NDArray> gradients = gradients(stepManager);
      float gradientNorm =
          GradientClipping.clipGlobalNorm(gradients.values(), optimization.maxGradientNorm());
      optimizer.update(gradients, learningRate);
      return new TrainingStep(optimizer.stepCount(), loss.getFloat(), gradientNorm, learningRate);
    }
  }

  /** The mean next-token loss on a batch, without gradients or an update (for evaluation). */
  public float evaluate(int[] windows, int batchSize) {
    Batch batch = toBatch(windows, batchSize);
    recordNoGraph();
    try (NDManager stepManager = manager.newSubManager()) {
      NDArray inputs = stepManager.create(batch.inputs(), batch.shape());
      NDArray targets = stepManager.create(batch.targets(), batch.shape());
      NDArray logits = model.forward(parameterStore, new NDList(inputs), false).singletonOrThrow();
      return CrossEntropy.mean(logits, targets).getFloat();
    }
  }

  /** The model being trained. */
  public Gpt model() {
    return model;
  }

  /** The optimizer, whose state a checkpoint saves. */
  public AdamW optimizer() {
    return optimizer;
  }

  /** How this trainer optimises. */
  public OptimizerConfig optimization() {
    return optimization;
  }

  /**
   * The manager that owns the parameters and the optimizer's moments; each step allocates in a
   * child of it.
   */
  public NDManager manager() {
    return manager;
  }

  /** Frees the model and the optimizer. */
  @Override
  public void close() {
    manager.close();
  }

  /**
   * Turns PyTorch's autograd recording off on this thread, outside the gradient collector. Grad
   * mode is per thread and on by default in every new thread; DJL turns it off only on the thread
   * that loads the engine, and its collector restores whatever mode it found. Left on, the
   * optimizer's in-place update of a parameter fails ("a leaf Variable that requires grad is being
   * used in an in-place operation") and evaluation builds graphs nobody uses.
   */
  private static void recordNoGraph() {
    JniUtils.setGradMode(false);
  }

  /**
   * Sets every parameter's gradient to zero: PyTorch adds each backward pass to the gradient
   * already there, and DJL's collector does not clear it (shared/notes/djl.md, pitfall 3). This is
   * {@code grad.zero_()}, the call DJL's own optimizers make after each update; unlike {@code grad
   * - grad} it also clears a NaN.
   */
  private void zeroGradients() {
    for (Parameter parameter : model.namedParameters().values()) {
      JniUtils.zeroGrad((PtNDArray) parameter.getArray());
    }
  }

  /**
   * Each parameter's gradient, by name. {@code getGradient()} returns a new handle attached to the
   * parameter's manager; moving it to the step's manager frees the handle with the step.
   */
  private Map<String, NDArray> gradients(NDManager stepManager) {
    Map<String, NDArray> gradients = new LinkedHashMap<>();
    model
        .namedParameters()
        .forEach(
            (name, parameter) -> {
              NDArray gradient = parameter.getArray().getGradient();
              gradient.attach(stepManager);
              gradients.put(name, gradient);
            });
    return gradients;
  }

  /** Input and target ids of a batch, flattened row by row, as int64 for PyTorch's embedding. */
  private record Batch(long[] inputs, long[] targets, Shape shape) {}

  private Batch toBatch(int[] windows, int batchSize) {
    GptConfig config = model.config();
    if (batchSize <= 0 || windows.length % batchSize != 0) {
      throw new IllegalArgumentException(
          windows.length + " token ids do not split into " + batchSize + " equal rows");
    }
    int window = windows.length / batchSize;
    int t = window - 1;
    if (t < 1 || t > config.blockSize()) {
      throw new IllegalArgumentException(
          "Each row must hold T+1 ids with 1 <= T <= " + config.blockSize() + ", got " + window);
    }
    long[] inputs = new long[batchSize * t];
    long[] targets = new long[batchSize * t];
    for (int row = 0; row < batchSize; row++) {
      for (int i = 0; i < t; i++) {
        inputs[row * t + i] = tokenId(windows[row * window + i], config);
        targets[row * t + i] = tokenId(windows[row * window + i + 1], config);
      }
    }
    return new Batch(inputs, targets, new Shape(batchSize, t));
  }

  private static long tokenId(int id, GptConfig config) {
    if (id < 0 || id >= config.vocabSize()) {
      throw new IllegalArgumentException(
          "Token id " + id + " is outside the vocabulary [0, " + config.vocabSize() + ")");
    }
    return id;
  }
}
