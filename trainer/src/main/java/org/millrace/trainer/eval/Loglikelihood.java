package org.millrace.trainer.eval;

/**
 * The answer to a {@link LoglikelihoodRequest}: the summed natural-log probability of the
 * continuation's tokens, and whether each of them was the model's most likely token at its position
 * (the harness's {@code is_greedy}).
 */
public record Loglikelihood(double logLikelihood, boolean greedy) {}
