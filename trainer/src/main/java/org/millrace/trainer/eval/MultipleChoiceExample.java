package org.millrace.trainer.eval;

import java.util.List;

/**
 * A multiple-choice example: each choice is scored as the continuation {@code delimiter + choice}
 * of the context, and the model answers with the most likely one.
 *
 * @param choices the answers, without the delimiter (their length in characters normalises {@code
 *     acc_norm})
 * @param gold the index of the right answer in {@code choices}
 * @param delimiter what goes between the context and each choice
 */
public record MultipleChoiceExample(
    String context, List<String> choices, int gold, String delimiter, int line)
    implements TaskExample {

  public MultipleChoiceExample {
    choices = List.copyOf(choices);
    if (choices.size() < 2) {
      throw new IllegalArgumentException("at least 2 choices, not " + choices.size());
    }
    if (gold < 0 || gold >= choices.size()) {
      throw new IllegalArgumentException(
          "the gold index " + gold + " is outside the " + choices.size() + " choices");
    }
  }

  /** The continuation that is scored for choice {@code index}. */
  public String continuation(int index) {
    return delimiter + choices.get(index);
  }

  @Override
  public String demonstration() {
    return context + continuation(gold);
  }

  @Override
  public MultipleChoiceExample withPrefix(String prefix) {
    return new MultipleChoiceExample(prefix + context, choices, gold, delimiter, line);
  }
}
