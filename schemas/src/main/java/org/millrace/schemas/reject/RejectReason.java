package org.millrace.schemas.reject;

/**
 * Why a stage refused a record: the machine-readable {@code reason} of a {@code RejectedDocument}.
 * The codes are part of the record format (docs/records.md); never rename one.
 */
public enum RejectReason {
  /** The record had no value, or a zero-length one. */
  EMPTY_PAYLOAD("empty_payload"),
  /** The payload is larger than {@code documents.max.bytes}. */
  TOO_LARGE("too_large"),
  /**
   * It starts with the Avro single-object marker but is not a RawDocument of any known schema
   * version.
   */
  MALFORMED_AVRO("malformed_avro"),
  /** It looks like JSON (starts with '{') but does not parse. */
  MALFORMED_JSON("malformed_json"),
  /** Valid JSON, but not an object with a string "text" or "html" field. */
  NOT_A_DOCUMENT("not_a_document"),
  /** Text that is not valid in its declared encoding (UTF-8 unless declared otherwise). */
  INVALID_UTF8("invalid_utf8"),
  /** Neither Avro nor JSON nor text: binary data. */
  BINARY_PAYLOAD("binary_payload"),
  /** A RawDocument whose content type is neither text nor HTML. */
  UNSUPPORTED_CONTENT_TYPE("unsupported_content_type"),
  /**
   * The document's URL is not an absolute http(s) URL with a host, or is longer than a server would
   * answer (a {@code javascript:}, {@code file:} or {@code data:} address, a megabyte of path).
   */
  INVALID_URL("invalid_url"),
  /**
   * The document's id (its "id" field, else the record key) is longer than an id a person or a
   * store looks up: every record of every later stage would carry it.
   */
  INVALID_ID("invalid_id"),
  /** Nothing but whitespace and markup once extracted and cleaned. */
  EMPTY_TEXT("empty_text"),
  /**
   * Extracting the text took longer than the clean stage's per-document time budget (a hostile or
   * pathological page); the stage stopped working on it and moved on.
   */
  EXTRACTION_TIMEOUT("extraction_timeout"),
  /** A document the tokenizer turned into no tokens at all. */
  EMPTY_DOCUMENT("empty_document"),
  /** A character the tokenizer's vocabulary does not have (a character-level tokenizer). */
  OUT_OF_VOCABULARY("out_of_vocabulary"),
  /** The crawler could not fetch the page: timeout, connection failure, too many redirects. */
  FETCH_FAILED("fetch_failed"),
  /** The server answered the crawler with an error status (4xx, or 5xx after the retries). */
  HTTP_ERROR("http_error"),
  /** A WARC record that ends before its declared Content-Length, or whose body cannot be read. */
  TRUNCATED_RECORD("truncated_record"),
  /** A WARC record whose header or HTTP message does not parse (or a corrupt gzip member). */
  MALFORMED_RECORD("malformed_record"),
  /**
   * The rest of a file after a corrupt record, when no later record could be found to resume on:
   * the feeder says how many bytes it gave up.
   */
  UNREADABLE_REMAINDER("unreadable_remainder"),
  /** A Parquet row or file that cannot be decoded. */
  MALFORMED_PARQUET("malformed_parquet");

  private final String code;

  RejectReason(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
