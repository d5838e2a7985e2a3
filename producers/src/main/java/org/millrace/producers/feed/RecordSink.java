package org.millrace.producers.feed;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
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

  /**
   * A document whose body is plain UTF-8 text (a Parquet row's text column, a source file of a code
   * tree), read now: published to docs.raw as {@code text/plain}.
   *
   * @param id the document's id
   * @param url where it was published, or null
   */
  default void plainTextDocument(
      String id, String url, String source, byte[] body, Map<String, String> metadata) {
    document(
        RawDocument.newBuilder()
            .setId(id)
            .setUrl(url)
            .setSource(source)
            .setContentType("text/plain; charset=UTF-8")
            .setBody(ByteBuffer.wrap(body))
            .setFetchedAt(Instant.now())
            .setMetadata(metadata)
            .build());
  }

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
