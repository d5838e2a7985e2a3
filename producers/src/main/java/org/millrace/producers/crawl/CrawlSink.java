package org.millrace.producers.crawl;

import java.io.IOException;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.RejectedDocument;

/**
 * Where a crawl's records go: docs.raw and docs.rejected ({@link KafkaCrawlSink}). {@code
 * acknowledged} runs once the record is stored; only then is its page marked fetched in the
 * frontier, so that a page whose record was lost is fetched again by the next run.
 */
public interface CrawlSink extends AutoCloseable {

  void document(RawDocument document, Runnable acknowledged);

  void rejection(RejectedDocument rejection, Runnable acknowledged);

  /** Waits until every record is stored; throws if any was refused. */
  void flush() throws IOException;

  @Override
  void close();
}
