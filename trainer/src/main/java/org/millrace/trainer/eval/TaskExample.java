package org.millrace.trainer.eval;

/**
 * One example of a task, as text: the harness's {@code doc_to_text}, and what follows it. A
 * multiple-choice example scores each choice; a target example (LAMBADA) scores one continuation.
 */
public sealed interface TaskExample permits MultipleChoiceExample, TargetExample {

  /**
   * The harness's {@code target_delimiter}: what goes between a context and its continuation
   * ({@code " "} unless a task says otherwise).
   */
  String TARGET_DELIMITER = " ";

  /**
   * The harness's {@code fewshot_delimiter}: what separates solved examples from each other and
   * from the example asked.
   */
  String FEWSHOT_DELIMITER = "\n\n";

  /** The text the model reads before the continuation; may be empty (BLiMP). */
  String context();

  /** The example solved, as a few-shot demonstration: context, delimiter, right answer. */
  String demonstration();

  /** The same example asked after {@code prefix} (the few-shot demonstrations). */
  TaskExample withPrefix(String prefix);

  /** The line of the task file it came from, 1-based (0 for examples built in code). */
  int line();
}
