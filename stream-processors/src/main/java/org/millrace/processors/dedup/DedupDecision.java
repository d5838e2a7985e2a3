package org.millrace.processors.dedup;

import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.DedupQuestion;
import org.millrace.schemas.DuplicateRecord;

/**
 * What the dedup stage's verdict processor makes of one document once a question's answers are in:
 * the first copy of its text, a duplicate of one, or (after the content hash's answer only) the
 * first of its text, which asks its URL and LSH buckets next.
 */
sealed interface DedupDecision {

  record Unique(CleanDocument document) implements DedupDecision {}

  record Duplicate(DuplicateRecord record) implements DedupDecision {}

  record AskBuckets(DedupQuestion question) implements DedupDecision {}
}
