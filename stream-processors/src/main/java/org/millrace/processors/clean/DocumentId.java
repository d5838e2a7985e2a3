package org.millrace.processors.clean;

import org.millrace.schemas.reject.DocumentRejectedException;
import org.millrace.schemas.reject.RejectReason;

/**
 * What a document's id may be: at most {@value #MAX_LENGTH} characters. The id travels with the
 * document through every later stage, keys its records, and is what a person looks a document up
 * by; a record key of half a megabyte (an id taken from the key of a JSON record without an "id")
 * would be copied into each of its token records.
 */
final class DocumentId {

  /** Far above a URL-derived id or a UUID, far below a payload. */
  static final int MAX_LENGTH = 1024;

  private DocumentId() {}

  /**
   * @throws DocumentRejectedException {@code invalid_id}, saying how long the id is
   */
  static void check(String id) throws DocumentRejectedException {
    if (id.length() > MAX_LENGTH) {
      throw new DocumentRejectedException(
          RejectReason.INVALID_ID,
          "an id of " + id.length() + " characters; at most " + MAX_LENGTH + " are accepted");
    }
  }
}
