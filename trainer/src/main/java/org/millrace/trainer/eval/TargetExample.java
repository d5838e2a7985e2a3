package org.millrace.trainer.eval;

/**
 * A single-target example, LAMBADA's kind: the model must predict {@code target} after the context.
 * It is right when every token of the target is the model's most likely next token (the harness's
 * {@code is_greedy}).
 *
 * @param target the continuation scored, delimiter included (LAMBADA: a space and the last word)
 */
public record TargetExample(String context, String target, int line) implements TaskExample {

  public TargetExample {
    if (target.isEmpty()) {
      throw new IllegalArgumentException("the target is empty");
    }
  }

  @Override
  public String demonstration() {
    return context + target;
  }

  @Override
  public TargetExample withPrefix(String prefix) {
    return new TargetExample(prefix + context, target, line);
  }
}
