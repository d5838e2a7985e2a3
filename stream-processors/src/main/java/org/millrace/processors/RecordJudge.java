package org.millrace.processors;

import org.millrace.schemas.reject.Origin;

/**
 * A stage's per-record logic: from the bytes of an input record and where it was, a verdict. Pure.
 */
@FunctionalInterface
public interface RecordJudge<T> {

  Verdict<T> judge(byte[] key, byte[] value, Origin origin);
}
