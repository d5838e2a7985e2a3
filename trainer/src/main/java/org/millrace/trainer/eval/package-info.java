/**
 * Benchmark evaluation of a checkpoint, scored as EleutherAI's lm-evaluation-harness scores it:
 * task files in the record shapes of HellaSwag, ARC, PIQA, BLiMP, LAMBADA or a generic {@code
 * {context, choices, gold}} ({@link TaskRecordParser}), turned into log-likelihood requests ({@link
 * LoglikelihoodRequest#encode}), scored by the model ({@link LoglikelihoodScorer}) and aggregated
 * into accuracies with standard errors ({@link TaskEvaluator}, {@link TaskScore}).
 * docs/evaluation.md describes the formats, the scoring rules and the tasks shipped here.
 */
package org.millrace.trainer.eval;
