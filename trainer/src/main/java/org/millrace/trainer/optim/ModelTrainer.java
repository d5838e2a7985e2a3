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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.millrace.trainer.model.CrossEntropy;
import org.millrace.trainer.model.LanguageModel;
import org.millrace.trainer.model.ModelConfig;
import org.millrace.trainer.model.TokenBatch;
import org.millrace.trainer.model.TrainingObjective;

/**
 * A model of the zoo under training (named after the first, GPT; any {@link ModelConfig} will do):
 * owns the model, its parameter store and its {@link AdamW}, and runs one optimisation step per
 * call of {@link #step}: the objective's batch, forward and backward for each micro-batch, global-
 * norm clipping, AdamW update at the scheduled learning rate.
 *
 * <p>Everything a step allocates (token arrays, activations, gradients' handles) lives in a child
 * {@link NDManager} closed at the end of the step, and each micro-batch's in a child of that,
 * closed after its backward pass, so that the arrays attached to {@link #manager()} between steps
 * are exactly the parameters and the optimizer's two moments per parameter.
 *
 * <p>A batch is given as {@code windows}: {@code batchSize} rows of T+1 consecutive token ids,
 * flattened; the model's {@link TrainingObjective} makes inputs and targets of them.
 *
 * <p>A run is reproducible from its seed: the parameters are drawn from it, and the objective's
 * randomness (masked language modelling's masks) from the seed and the step count.
 */
public final class ModelTrainer implements AutoCloseable {

  /**
   * The draw from which evaluation takes its randomness: one no training step uses, the same for
   * every evaluation, so that losses on the same windows are comparable across steps.
   */
  private static final long EVALUATION_DRAW = -1;

  private final OptimizerConfig optimization;
  private final int seed;
  private final NDManager manager;
  private final LanguageModel model;
  private final TrainingObjective objective;
  private final ParameterStore parameterStore;
  private final AdamW optimizer;

  /**
   * Builds a model for {@code config} with parameters drawn from {@code seed}, and an optimizer
   * with zero moments.
   */
  public ModelTrainer(ModelConfig config, OptimizerConfig optimization, int seed) {
    this.optimization = optimization;
    this.seed = seed;
    this.manager = NDManager.newBaseManager();
    this.model = config.newModel();
    this.objective = config.objective();
    model.initializeParameters(manager, seed);
    // copy = false: the forward pass reads the parameters' own arrays, so their gradients land
    // where the optimizer looks for them
    this.parameterStore = new ParameterStore(manager, false);
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    model.namedParameters().forEach((name, parameter) -> arrays.put(name, parameter.getArray()));
    this.optimizer = new AdamW(arrays, optimization.adamW(), manager);
  }

  /**
   * Runs one optimisation step on a batch and reports it. With gradient accumulation, the rows are
   * cut into {@link OptimizerConfig#gradientAccumulationSteps()} micro-batches whose gradients add
   * up to the whole batch's: each micro-batch's loss is its share of the batch's mean.
   */
  public TrainingStep step(int[] windows, int batchSize) {
    int microBatches = optimization.gradientAccumulationSteps();
    if (batchSize % microBatches != 0) {
      throw new IllegalArgumentException(
          batchSize + " rows do not split into " + microBatches + " equal micro-batches");
    }
    TokenBatch batch = batch(windows, batchSize, optimizer.stepCount());
    double learningRate = optimization.learningRate().lr(optimizer.stepCount());
    recordNoGraph();
    zeroGradients();
    try (NDManager stepManager = manager.newSubManager()) {
      long predictedPositions = batch.predictedPositions();
      int rows = batchSize / microBatches;
      float loss = 0;
      for (int first = 0; first < batchSize; first += rows) {
        try (NDManager microManager = stepManager.newSubManager();
            GradientCollector collector = manager.getEngine().newGradientCollector()) {
          TokenBatch micro = batch.rows(first, first + rows);
          NDArray share = loss(micro, predictedPositions, microManager, true);
          collector.backward(share);
          loss += share.getFloat();
        }
      }
      Map<String, NDArray> gradients = gradients(stepManager);
      float gradientNorm =
          GradientClipping.clipGlobalNorm(gradients.values(), optimization.maxGradientNorm());
      optimizer.update(gradients, learningRate);
      return new TrainingStep(optimizer.stepCount(), loss, gradientNorm, learningRate);
    }
  }

  /** The objective's mean loss on a batch, without gradients or an update (for evaluation). */
  public float evaluate(int[] windows, int batchSize) {
    TokenBatch batch = batch(windows, batchSize, EVALUATION_DRAW);
    recordNoGraph();
    try (NDManager evaluationManager = manager.newSubManager()) {
      return loss(batch, batch.predictedPositions(), evaluationManager, false).getFloat();
    }
  }

  /**
   * The mean loss over {@code windows} (rows of block size + 1 token ids, flattened), evaluated
   * {@code batchSize} rows at a time: the validation loss of training and of {@code millrace eval}.
   * NaN when there is not one full window.
   */
  public double meanLoss(int[] windows, int batchSize) {
    int window = model.config().blockSize() + 1;
    int count = windows.length / window;
    double total = 0;
    for (int first = 0; first < count; first += batchSize) {
      int rows = Math.min(batchSize, count - first);
      int[] batch = Arrays.copyOfRange(windows, first * window, (first + rows) * window);
      total += (double) evaluate(batch, rows) * rows;
    }
    return count == 0 ? Double.NaN : total / count;
  }

  /**
   * The logits of the token that follows {@code context} (at most the block size of ids), for
   * sampling from a causal model.
   */
  public float[] nextTokenLogits(int[] context) {
    if (context.length == 0 || context.length > model.config().blockSize()) {
      throw new IllegalArgumentException(
          "a context of 1 to " + model.config().blockSize() + " tokens, not " + context.length);
    }
    recordNoGraph();
    try (NDManager sampleManager = manager.newSubManager()) {
      long[] ids = Arrays.stream(context).asLongStream().toArray();
      NDArray inputs = sampleManager.create(ids, new Shape(1, ids.length));
      NDArray logits = model.forward(parameterStore, new NDList(inputs), false).singletonOrThrow();
      return logits.get(0, ids.length - 1).toFloatArray();
    }
  }

  /**
   * The loss of {@code micro}, a slice of a batch that predicts {@code predictedPositions} in all:
   * its summed cross-entropy over that count. The count is a tensor PyTorch allocates, not a Java
   * number, since autograd keeps the divisor ({@link
   * org.millrace.trainer.model.ScaledDotProductAttention} explains why).
   */
  private NDArray loss(
      TokenBatch micro, long predictedPositions, NDManager stepManager, boolean training) {
    Shape shape = micro.shape();
    NDArray inputs = stepManager.create(micro.inputs(), shape);
    NDArray targets = stepManager.create(micro.targets(), shape);
    NDArray weights = stepManager.create(micro.lossWeights(), shape);
    NDArray logits = model.forward(parameterStore, new NDList(inputs), training).singletonOrThrow();
    NDArray count = stepManager.full(new Shape(), (float) predictedPositions);
    return CrossEntropy.weightedSum(logits, targets, weights).div(count);
  }

  /** The model being trained. */
  public LanguageModel model() {
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

  /** The seed the parameters were drawn from and the objective's randomness derives from. */
  public int seed() {
    return seed;
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
   * used in an in-place operation") and evaluation builds graphs nobody uses. Loading a checkpoint
   * writes the parameters in place too ({@code ModelCheckpoint.load}).
   */
  public static void recordNoGraph() {
    JniUtils.setGradMode(false);
  }

  /**
   * Sets every parameter's gradient to zero: PyTorch adds each backward pass to the gradient
   * already there, and DJL's collector does not clear it (docs/djl.md, fact 3). This is
   * {@code grad.zero_()}, the call DJL's own optimizers make after each update; unlike {@code grad
   * - grad} it also clears a NaN. Gradient accumulation relies on the adding, within a step.
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

  /**
   * The objective's batch of {@code windows}, after checking that they are {@code batchSize} rows
   * of T+1 ids from the vocabulary with T within the block size.
   */
  private TokenBatch batch(int[] windows, int batchSize, long draw) {
    ModelConfig config = model.config();
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
    for (int id : windows) {
      if (id < 0 || id >= config.vocabSize()) {
        throw new IllegalArgumentException(
            "Token id " + id + " is outside the vocabulary [0, " + config.vocabSize() + ")");
      }
    }
    return objective.batch(windows, batchSize, seed, draw);
  }
}
