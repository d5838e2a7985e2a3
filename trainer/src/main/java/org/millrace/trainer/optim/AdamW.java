package org.millrace.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, arXiv:1711.05101), computed as PyTorch's
 * {@code torch.optim.AdamW}. Weight decay applies to matrices (two or more dimensions) only, not to
 * biases and LayerNorm parameters, as nanoGPT's {@code configure_optimizers}.
 *
 * <p>We write our own rather than use DJL's {@code Optimizer.adamW()} because DJL's decays every
 * parameter and its moments cannot be saved (docs/djl.md, fact 3). Here the first and
 * second moments (m, v) are arrays of this optimizer's own manager, and {@link #state} and {@link
 * #loadState} carry them and the step count through a checkpoint.
 */
public final class AdamW implements AutoCloseable {

  private static final String STEP = "step";

  private final AdamWConfig config;
  private final NDManager manager;
  private final Map<String, Moments> moments;
  private long step;

  /** The moments of one parameter. */
  private record Moments(NDArray parameter, NDArray m, NDArray v, boolean decays) {}

  /**
   * Creates zero moments for each parameter, in a child of {@code parentManager}.
   *
   * @param parameters the arrays to update, by name; the names key the saved state
   */
  public AdamW(Map<String, NDArray> parameters, AdamWConfig config, NDManager parentManager) {
    this.config = config;
    this.manager = parentManager.newSubManager();
    Map<String, Moments> byName = new LinkedHashMap<>();
    parameters.forEach(
        (name, parameter) -> {
          NDArray m = manager.zeros(parameter.getShape(), parameter.getDataType());
          NDArray v = manager.zeros(parameter.getShape(), parameter.getDataType());
          m.setName("m." + name);
          v.setName("v." + name);
          boolean decays = parameter.getShape().dimension() >= 2;
          byName.put(name, new Moments(parameter, m, v, decays));
        });
    moments = Collections.unmodifiableMap(byName);
  }

  /** Number of updates made so far; the bias correction of the next update uses this plus one. */
  public long stepCount() {
    return step;
  }

  /**
   * Updates every parameter in place from its gradient.
   *
   * @param gradients one gradient per parameter name; temporaries are freed before returning
   * @param learningRate the learning rate of this update
   */
  public void update(Map<String, NDArray> gradients, double learningRate) {
    step++;
    // Adam's bias corrections (arXiv:1412.6980, algorithm 1): PyTorch divides m by 1 - beta1^t and
    // sqrt(v) by sqrt(1 - beta2^t) before adding epsilon. The fused kernel adds epsilon to the
    // uncorrected sqrt(v) and takes one corrected step size, so both corrections move into the step
    // size and epsilon is scaled by sqrt(1 - beta2^t): the same update, term for term.
    double secondMomentCorrection = Math.sqrt(1 - Math.pow(config.beta2(), step));
    float stepSize =
        (float) (learningRate * secondMomentCorrection / (1 - Math.pow(config.beta1(), step)));
    float epsilon = (float) (config.epsilon() * secondMomentCorrection);
    float beta1 = (float) config.beta1();
    float beta2 = (float) config.beta2();

    moments.forEach(
        (name, slot) -> {
          NDArray gradient = gradients.get(name);
          if (gradient == null) {
            throw new IllegalArgumentException("No gradient for " + name);
          }
          // One native call per parameter instead of about ten: w -= lr·wd·w (decoupled decay),
          // m = beta1·m + (1 - beta1)·g, v = beta2·v + (1 - beta2)·g², w -= stepSize·m / (sqrt(v) +
          // epsilon). No rescaling (1) and no element-wise clipping (-1): clipping is global, done
          // before. adamw = true selects the decoupled decay.
          JniUtils.adamUpdate(
              (PtNDArray) slot.parameter(),
              (PtNDArray) gradient,
              (PtNDArray) slot.m(),
              (PtNDArray) slot.v(),
              (float) learningRate,
              stepSize,
              slot.decays() ? (float) config.weightDecay() : 0f,
              1f,
              -1f,
              beta1,
              beta2,
              epsilon,
              true);
        });
  }

  /**
   * The optimizer's state for a checkpoint: the step count as an int64 scalar named {@code step},
   * created in {@code manager}, and the live moments named {@code m.<parameter>} and {@code
   * v.<parameter>}, which belong to this optimizer: do not close them.
   */
  public NDList state(NDManager manager) {
    NDList state = new NDList(1 + 2 * moments.size());
    NDArray stepArray = manager.create(step);
    stepArray.setName(STEP);
    state.add(stepArray);
    for (Moments slot : moments.values()) {
      state.add(slot.m());
      state.add(slot.v());
    }
    return state;
  }

  /**
   * Restores a state written from {@link #state}: copies the moments into this optimizer's arrays
   * and sets the step count. The state must be for parameters of the same names and shapes.
   */
  public void loadState(NDList state) {
    Map<String, NDArray> byName = new LinkedHashMap<>();
    state.forEach(array -> byName.put(array.getName(), array));
    NDArray stepArray = byName.remove(STEP);
    if (stepArray == null) {
      throw new IllegalArgumentException("Optimizer state has no '" + STEP + "'");
    }
    Map<String, NDArray> expected = new LinkedHashMap<>();
    for (Moments slot : moments.values()) {
      expected.put(slot.m().getName(), slot.m());
      expected.put(slot.v().getName(), slot.v());
    }
    if (!byName.keySet().equals(expected.keySet())) {
      throw new IllegalArgumentException(
          "Optimizer state does not match the parameters: expected "
              + expected.keySet()
              + " but got "
              + byName.keySet());
    }
    expected.forEach(
        (name, target) -> {
          NDArray source = byName.get(name);
          if (!source.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException(
                name + " has shape " + source.getShape() + ", expected " + target.getShape());
          }
          target.set(new NDIndex(":"), source);
        });
    step = stepArray.getLong();
  }

  /** Frees the moments. */
  @Override
  public void close() {
    manager.close();
  }
}
