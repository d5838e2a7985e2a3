package org.millrace.trainer.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.millrace.tokenizer.Tokenizer;

/**
 * Scores a task as lm-evaluation-harness does. Multiple choice: each choice's continuation ({@code
 * delimiter + choice}) gets its summed log-likelihood after the context; {@code acc} counts the
 * examples whose most likely choice is the right one, {@code acc_norm} those whose most likely
 * choice per character of the choice is (the harness's {@code process_results}: log-likelihood over
 * {@code len(choice)}; ties go to the first, as {@code np.argmax}). Single target: {@code acc}
 * counts the examples whose every target token is the model's most likely token, and the perplexity
 * is {@code exp(-mean log-likelihood)} of the targets (the harness's {@code perplexity}
 * aggregation).
 */
public final class TaskEvaluator {

  private final Tokenizer tokenizer;
  private final LoglikelihoodScorer scorer;
  private final FewShotSampler fewShot;

  public TaskEvaluator(Tokenizer tokenizer, LoglikelihoodScorer scorer, FewShotSampler fewShot) {
    this.tokenizer = tokenizer;
    this.scorer = scorer;
    this.fewShot = fewShot;
  }

  /**
   * The task's score. {@code progress} hears (requests answered so far) after each batch; {@link
   * #requestCount} says how many there are.
   */
  public TaskScore evaluate(EvalTask task, IntConsumer progress) {
    List<TaskExample> examples = fewShot.apply(task);
    List<LoglikelihoodRequest> requests = new ArrayList<>();
    for (TaskExample example : examples) {
      requests.addAll(requests(task, example));
    }
    List<Loglikelihood> answers = scorer.score(requests, progress);
    return task.multipleChoice()
        ? multipleChoiceScore(task.name(), examples, answers)
        : targetScore(task.name(), examples, answers);
  }

  /** How many log-likelihood requests the task makes: one per choice, or one per example. */
  public static int requestCount(EvalTask task) {
    int count = 0;
    for (TaskExample example : task.examples()) {
      count += example instanceof MultipleChoiceExample choice ? choice.choices().size() : 1;
    }
    return count;
  }

  private List<LoglikelihoodRequest> requests(EvalTask task, TaskExample example) {
    List<LoglikelihoodRequest> requests = new ArrayList<>();
    try {
      if (example instanceof MultipleChoiceExample choice) {
        for (int i = 0; i < choice.choices().size(); i++) {
          requests.add(checked(choice.context(), choice.continuation(i)));
        }
      } else if (example instanceof TargetExample target) {
        requests.add(checked(target.context(), target.target()));
      }
    } catch (IllegalArgumentException e) {
      throw new TaskFormatException(task.name(), example.line(), e.getMessage());
    }
    return requests;
  }

  private LoglikelihoodRequest checked(String context, String continuation) {
    LoglikelihoodRequest request = LoglikelihoodRequest.encode(tokenizer, context, continuation);
    if (request.continuation().length > scorer.blockSize()) {
      throw new IllegalArgumentException(
          "the continuation \""
              + continuation.strip()
              + "\" is "
              + request.continuation().length
              + " tokens, more than the model's block size of "
              + scorer.blockSize());
    }
    return request;
  }

  private static TaskScore multipleChoiceScore(
      String name, List<TaskExample> examples, List<Loglikelihood> answers) {
    int next = 0;
    int correct = 0;
    int correctNormalised = 0;
    double chance = 0;
    for (TaskExample example : examples) {
      MultipleChoiceExample choice = (MultipleChoiceExample) example;
      int best = 0;
      int bestNormalised = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      double bestNormalisedScore = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < choice.choices().size(); i++) {
        double logLikelihood = answers.get(next++).logLikelihood();
        double perCharacter = logLikelihood / choice.choices().get(i).length();
        if (logLikelihood > bestScore) {
          bestScore = logLikelihood;
          best = i;
        }
        if (perCharacter > bestNormalisedScore) {
          bestNormalisedScore = perCharacter;
          bestNormalised = i;
        }
      }
      correct += best == choice.gold() ? 1 : 0;
      correctNormalised += bestNormalised == choice.gold() ? 1 : 0;
      chance += 1.0 / choice.choices().size();
    }
    int n = examples.size();
    return new TaskScore(
        name,
        true,
        n,
        (double) correct / n,
        TaskScore.meanStandardError(correct, n),
        (double) correctNormalised / n,
        TaskScore.meanStandardError(correctNormalised, n),
        chance / n,
        Double.NaN);
  }

  private static TaskScore targetScore(
      String name, List<TaskExample> examples, List<Loglikelihood> answers) {
    int correct = 0;
    double logLikelihood = 0;
    for (Loglikelihood answer : answers) {
      correct += answer.greedy() ? 1 : 0;
      logLikelihood += answer.logLikelihood();
    }
    int n = examples.size();
    return new TaskScore(
        name,
        false,
        n,
        (double) correct / n,
        TaskScore.meanStandardError(correct, n),
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Math.exp(-logLikelihood / n));
  }
}
