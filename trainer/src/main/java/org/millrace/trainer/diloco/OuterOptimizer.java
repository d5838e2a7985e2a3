package org.millrace.trainer.diloco;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DiLoCo's outer optimizer (Douillard et al. 2023, arXiv:2311.08105, algorithm 1): SGD with
 * Nesterov momentum, computed as PyTorch's {@code torch.optim.SGD(nesterov=True, dampening=0)}, on
 * the mean pseudo-gradient of a round. The pseudo-gradient of a worker is {@code Δ = θ_global −
 * θ_local}, old minus new: it points uphill like a gradient, so the step subtracts it.
 *
 * <p>Per parameter element, with velocity b (zero before the first round), outer learning rate η
 * and momentum μ:
 *
 * <pre>
 *   b ← μ·b + Δ
 *   θ_global ← θ_global − η·(Δ + μ·b)
 * </pre>
 *
 * With η = 1 and μ = 0 the step is θ_global − mean(θ_global − θ_i) = mean θ_i: plain averaging of
 * the workers' parameters (FedAvg). The arithmetic is Java's float arithmetic in a fixed order, so
 * every worker that applies the same mean pseudo-gradient gets the same parameters bit for bit.
 */
public final class OuterOptimizer {

  private final float learningRate;
  private final float momentum;
  private final Map<String, float[]> velocity = new LinkedHashMap<>();

  /**
   * An optimizer with zero velocity for parameters of these names and sizes.
   *
   * @param parameters the global parameters, by name, in the model's order (only their sizes are
   *     read)
   */
  public OuterOptimizer(double learningRate, double momentum, Map<String, float[]> parameters) {
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException(
          "the outer learning rate must be positive, was " + learningRate);
    }
    if (momentum < 0 || momentum >= 1) {
      throw new IllegalArgumentException("the outer momentum must be in [0, 1), was " + momentum);
    }
    this.learningRate = (float) learningRate;
    this.momentum = (float) momentum;
    parameters.forEach((name, values) -> velocity.put(name, new float[values.length]));
  }

  /**
   * Takes one outer step: updates {@code global} in place from the round's mean pseudo-gradient.
   *
   * @param global the global parameters of the previous round, by name
   * @param meanPseudoGradient the mean over the round's contributions of θ_global − θ_local
   */
  public void step(Map<String, float[]> global, Map<String, float[]> meanPseudoGradient) {
    velocity.forEach(
        (name, b) -> {
          float[] theta = global.get(name);
          float[] delta = meanPseudoGradient.get(name);
          if (theta == null || delta == null) {
            throw new IllegalArgumentException(
                "no global parameter or pseudo-gradient for " + name);
          }
          if (theta.length != b.length || delta.length != b.length) {
            throw new IllegalArgumentException(
                name
                    + ": "
                    + b.length
                    + " values expected, the parameter has "
                    + theta.length
                    + " and the pseudo-gradient "
                    + delta.length);
          }
          for (int i = 0; i < b.length; i++) {
            b[i] = momentum * b[i] + delta[i];
            theta[i] -= learningRate * (delta[i] + momentum * b[i]);
          }
        });
  }

  /** The velocity (PyTorch's {@code momentum_buffer}) by parameter name, for a checkpoint. */
  public Map<String, float[]> velocity() {
    return velocity;
  }

  /** Restores a velocity saved from {@link #velocity()}: same names, same sizes. */
  public void loadVelocity(Map<String, float[]> saved) {
    if (!saved.keySet().equals(velocity.keySet())) {
      throw new IllegalArgumentException(
          "outer momentum does not match the parameters: expected "
              + velocity.keySet()
              + " but got "
              + saved.keySet());
    }
    velocity.forEach(
        (name, b) -> {
          float[] values = saved.get(name);
          if (values.length != b.length) {
            throw new IllegalArgumentException(
                name + ": outer momentum of " + values.length + " values, expected " + b.length);
          }
          System.arraycopy(values, 0, b, 0, b.length);
        });
  }
}
