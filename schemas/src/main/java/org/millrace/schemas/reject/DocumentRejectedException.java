package org.millrace.schemas.reject;

/**
 * Thrown by a stage's per-record logic when it refuses a record. The stage catches it and writes a
 * {@code RejectedDocument} with the reason and detail; it never escapes a stage.
 */
public final class DocumentRejectedException extends Exception {

  private final RejectReason reason;

  public DocumentRejectedException(RejectReason reason, String detail) {
    super(detail, null, false, false); // no stack trace: bad input is expected, not a bug
    this.reason = reason;
  }

  public RejectReason reason() {
    return reason;
  }

  /** The sentence for people. */
  public String detail() {
    return getMessage();
  }
}
