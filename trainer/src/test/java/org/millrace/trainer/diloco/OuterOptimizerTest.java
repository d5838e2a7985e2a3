package org.millrace.trainer.diloco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OuterOptimizerTest {

  /** A model of two parameters, "a" of two values and "b" of one. */
  private static Map<String, float[]> model(float a0, float a1, float b0) {
    Map<String, float[]> parameters = new LinkedHashMap<>();
    parameters.put("a", new float[] {a0, a1});
    parameters.put("b", new float[] {b0});
    return parameters;
  }

  private static float[] mean(float[]... pseudoGradients) {
    PseudoGradientMean mean = new PseudoGradientMean(pseudoGradients[0].length);
    for (float[] pseudoGradient : pseudoGradients) {
      mean.add(pseudoGradient);
    }
    return mean.mean();
  }

  @Test
  void twoRoundsOfNesterovMomentumMatchAHandComputation() {
    Map<String, float[]> global = model(1.0f, 2.0f, 0.5f);
    OuterOptimizer outer = new OuterOptimizer(0.7, 0.9, global);

    // Δ = θ_global − θ_local: worker 1 moved a down, worker 2 moved b up
    float[] delta1 = PseudoGradient.of(global, model(0.8f, 2.2f, 0.4f));
    float[] delta2 = PseudoGradient.of(global, model(0.6f, 1.8f, 0.7f));
    assertThat(delta1).containsExactly(new float[] {0.2f, -0.2f, 0.1f}, within(1e-6f));
    float[] round1 = mean(delta1, delta2); // (0.3, 0, -0.05)
    outer.step(global, PseudoGradient.unflatten(round1, global));

    // b = Δ = (0.3, 0, -0.05); θ −= 0.7·(Δ + 0.9·b) = 0.7·1.9·Δ
    assertThat(global.get("a")).containsExactly(new float[] {0.601f, 2.0f}, within(1e-6f));
    assertThat(global.get("b")).containsExactly(new float[] {0.5665f}, within(1e-6f));
    assertThat(outer.velocity().get("a")).containsExactly(new float[] {0.3f, 0f}, within(1e-6f));

    outer.step(global, PseudoGradient.unflatten(new float[] {0.1f, -0.1f, 0f}, global));

    // b = 0.9·(0.3, 0, −0.05) + (0.1, −0.1, 0) = (0.37, −0.1, −0.045)
    // θ −= 0.7·((0.1, −0.1, 0) + 0.9·b) = 0.7·(0.433, −0.19, −0.0405)
    assertThat(global.get("a")).containsExactly(new float[] {0.2979f, 2.133f}, within(1e-6f));
    assertThat(global.get("b")).containsExactly(new float[] {0.59485f}, within(1e-6f));
  }

  @Test
  void learningRateOneWithoutMomentumAveragesTheWorkersParameters() {
    Map<String, float[]> global = model(1.0f, 2.0f, 0.5f);
    Map<String, float[]> worker1 = model(0.8f, 2.2f, 0.4f);
    Map<String, float[]> worker2 = model(0.6f, 1.8f, 0.7f);
    Map<String, float[]> worker3 = model(1.3f, 2.0f, -0.1f);
    OuterOptimizer outer = new OuterOptimizer(1.0, 0.0, global);

    outer.step(
        global,
        PseudoGradient.unflatten(
            mean(
                PseudoGradient.of(global, worker1),
                PseudoGradient.of(global, worker2),
                PseudoGradient.of(global, worker3)),
            global));

    assertThat(global.get("a")).containsExactly(new float[] {0.9f, 2.0f}, within(1e-6f));
    assertThat(global.get("b")).containsExactly(new float[] {1.0f / 3}, within(1e-6f));
  }

  @Test
  void aRoundWhereNoWorkerMovedLeavesTheParametersAsTheyWere() {
    Map<String, float[]> global = model(1.0f, 2.0f, 0.5f);
    OuterOptimizer outer = new OuterOptimizer(0.7, 0.9, global);

    outer.step(
        global,
        PseudoGradient.unflatten(mean(PseudoGradient.of(global, model(1.0f, 2.0f, 0.5f))), global));

    assertThat(global.get("a")).containsExactly(1.0f, 2.0f);
    assertThat(global.get("b")).containsExactly(0.5f);
  }
}
