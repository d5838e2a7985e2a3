package org.millrace.processors.dedup;

import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.DedupQuestion;
import org.millrace.schemas.DedupRaceAnswer;
import org.millrace.schemas.DedupRaceQuestion;
import org.millrace.schemas.DuplicateRecord;

/**
 * What the dedup stage's verdict processor makes of one document once a question's answers are in:
 * the first copy of its text, a duplicate of one, (after the content hash's answer only) the first
 * of its text, which asks its URL and LSH buckets next, or (after those buckets' answers) a
 * question about a later copy that raced it, or the answer to such a question about itself.
 */
sealed interface DedupDecision {

  record Unique(CleanDocument document) implements DedupDecision {}

  record Duplicate(DuplicateRecord record) implements DedupDecision {}

  record AskBuckets(DedupQuestion question) implements DedupDecision {}

  /** Keyed by the later copy's id. */
  record AskRace(DedupRaceQuestion question) implements DedupDecision {}

  /** Keyed by the asker's id. */
  record AnswerRace(DedupRaceAnswer answer) implements DedupDecision {}
}
