package org.millrace.processors;

import org.millrace.schemas.RejectedDocument;

/**
 * What a stage decided about one input record: pass a value on (keyed by its document id), or
 * reject the record with a reason. Every input record gets exactly one verdict, which is what keeps
 * the conservation law: every raw record ends in exactly one topic.
 */
public sealed interface Verdict<T> {

  /** The document id: the key of the output record, whichever topic it goes to. */
  String id();

  record Pass<T>(String id, T value) implements Verdict<T> {}

  record Reject<T>(String id, RejectedDocument rejected) implements Verdict<T> {}
}
