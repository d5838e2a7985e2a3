package org.millrace.trainer.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a model did on a task. Accuracies are means over examples; their standard errors are the
 * harness's {@code mean_stderr}, the sample standard deviation over the square root of the count
 * (NaN for one example). {@code accNorm} and {@code chance} are NaN for a single-target task, and
 * {@code perplexity} for a multiple-choice one.
 *
 * @param chance the accuracy of guessing: the mean of 1/choices over the examples
 * @param perplexity exp of the negative mean log-likelihood of the target (LAMBADA: per target
 *     word)
 */
public record TaskScore(
    String task,
    boolean multipleChoice,
    int examples,
    double acc,
    double accStderr,
    double accNorm,
    double accNormStderr,
    double chance,
    double perplexity) {

  /** The standard error of the mean of {@code correct} of {@code n} zero-or-one values. */
  static double meanStandardError(int correct, int n) {
    if (n < 2) {
      return Double.NaN;
    }
    double p = (double) correct / n;
    // sample variance (ddof = 1) of n values of which `correct` are 1
    double variance = (correct * (1 - p) * (1 - p) + (n - correct) * p * p) / (n - 1);
    return Math.sqrt(variance / n);
  }

  /** The score as JSON fields (NaN left out), for the report of {@code millrace eval}. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("task", task);
    json.put("kind", multipleChoice ? "multiple_choice" : "target");
    json.put("examples", examples);
    put(json, "acc", acc);
    put(json, "acc_stderr", accStderr);
    put(json, "acc_norm", accNorm);
    put(json, "acc_norm_stderr", accNormStderr);
    put(json, "chance", chance);
    put(json, "perplexity", perplexity);
    return json;
  }

  private static void put(Map<String, Object> json, String name, double value) {
    if (!Double.isNaN(value)) {
      json.put(name, value);
    }
  }
}
