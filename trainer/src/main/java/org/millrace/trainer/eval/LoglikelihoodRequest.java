package org.millrace.trainer.eval;

import java.util.Arrays;
import org.millrace.tokenizer.Tokenizer;

/**
 * The tokens of one log-likelihood question: how likely is {@code continuation} after {@code
 * context}? Both are non-empty; the model reads {@code context + continuation} and each
 * continuation token is scored at the position before it.
 */
public record LoglikelihoodRequest(int[] context, int[] continuation) {

  public LoglikelihoodRequest {
    if (context.length == 0 || continuation.length == 0) {
      throw new IllegalArgumentException("a request needs context and continuation tokens");
    }
  }

  /**
   * The request of a text pair, as lm-evaluation-harness's {@code _encode_pair} makes it (the
   * harness's {@code lm_eval/models/huggingface.py}): whitespace at the end of the context moves to
   * the start of the continuation; the continuation's tokens are those of {@code context +
   * continuation} after the context's own, so that a tokenizer that merges across the boundary is
   * scored on the text as it would tokenize it. An empty context becomes the end-of-text token, as
   * the harness puts its end-of-text token before a continuation with nothing before it.
   */
  public static LoglikelihoodRequest encode(
      Tokenizer tokenizer, String context, String continuation) {
    int end = context.length();
    while (end > 0 && Character.isWhitespace(context.charAt(end - 1))) {
      end--;
    }
    String movedContinuation = context.substring(end) + continuation;
    String trimmedContext = context.substring(0, end);
    if (trimmedContext.isEmpty()) {
      return new LoglikelihoodRequest(
          new int[] {tokenizer.endOfTextId()}, tokenizer.encode(movedContinuation));
    }
    int[] whole = tokenizer.encode(trimmedContext + movedContinuation);
    int[] contextIds = tokenizer.encode(trimmedContext);
    int[] continuationIds =
        Arrays.copyOfRange(whole, Math.min(contextIds.length, whole.length), whole.length);
    return new LoglikelihoodRequest(contextIds, continuationIds);
  }
}
