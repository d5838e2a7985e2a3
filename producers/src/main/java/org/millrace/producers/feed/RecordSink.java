package org.millrace.producers.feed;

import org.millrace.schemas.RawDocument;
import org.millrace.schemas.reject.RejectReason;

/**
 * Where a format's reader puts what it finds in a file, in file order. Documents and rejections are
 * the file's records: the feeder numbers them in the order they arrive, which is how a resumed feed
 * knows which ones Kafka already has, so a reader must find them in the same order every time.
 */
public interface RecordSink {

  /** A document to publish to docs.raw. */
  void document(RawDocument document);

  /** Something that should have been a document and is not: published to docs.rejected. */
  void rejected(String source, RejectReason reason, String detail, byte[] payload, long size);

  /**
   * Something the feeder does not publish by design (a WARC request record, a binary file of a code
   * tree), counted under {@code kind} in the summary. Not numbered: not a record.
   */
  void skipped(String kind);

  /** The documents.max.bytes limit: a reader rejects a larger body as {@code too_large}. */
  int documentMaxBytes();
}
