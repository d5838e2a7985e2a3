package org.millrace.processors.dedup;

import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.DuplicateRecord;

/**
 * The dedup stage's decision on one document: the first copy of its text, or a duplicate of one.
 */
public sealed interface DedupDecision {

  record Unique(CleanDocument document) implements DedupDecision {}

  record Duplicate(DuplicateRecord record) implements DedupDecision {}
}
