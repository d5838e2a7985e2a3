package org.millrace.processors.dedup;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.DedupPending;
import org.millrace.schemas.DuplicateKind;
import org.millrace.schemas.DuplicateRecord;

/**
 * Turns a document whose answers are all in into its verdict: unique if its pending state names no
 * original, otherwise a duplicate of the original it names; counts it, and takes the document out
 * of the stores of its task. Used where a verdict can be reached: after the content hash's answer,
 * after the buckets' answers, and after the answers about later copies.
 */
final class DocumentVerdicts {

  private final TimestampedKeyValueStore<String, CleanDocument> documents;
  private final KeyValueStore<String, DedupPending> pending;
  private final Sensor unique;
  private final Sensor urlDuplicates;
  private final Sensor exactDuplicates;
  private final Sensor nearDuplicates;

  DocumentVerdicts(ProcessorContext<?, ?> context) {
    this.documents = context.getStateStore(DedupTopology.DOCUMENT_STORE);
    this.pending = context.getStateStore(DedupTopology.PENDING_STORE);
    DedupMetrics metrics = new DedupMetrics(context);
    unique = metrics.counter("unique");
    urlDuplicates = metrics.counter("url-duplicates");
    exactDuplicates = metrics.counter("exact-duplicates");
    nearDuplicates = metrics.counter("near-duplicates");
  }

  /**
   * The verdict on document {@code id}, at its record timestamp; the document leaves the stores.
   */
  Record<String, DedupDecision> take(String id, DedupPending state) {
    ValueAndTimestamp<CleanDocument> document = documents.get(id);
    documents.delete(id);
    pending.delete(id);
    return new Record<>(
        id, decide(document.value(), state), document.timestamp(), new RecordHeaders());
  }

  private DedupDecision decide(CleanDocument document, DedupPending state) {
    if (state.getOriginalId() == null) {
      unique.record();
      return new DedupDecision.Unique(document);
    }
    switch (state.getKind()) {
      case URL -> urlDuplicates.record();
      case EXACT -> exactDuplicates.record();
      case NEAR -> nearDuplicates.record();
    }
    return new DedupDecision.Duplicate(
        DuplicateRecord.newBuilder()
            .setDuplicateId(document.getId())
            .setOriginalId(state.getOriginalId())
            .setKind(state.getKind())
            .setSimilarity(state.getSimilarity())
            .setContentHash(
                state.getKind() == DuplicateKind.EXACT ? ContentHash.of(document.getText()) : null)
            .setUrl(document.getUrl())
            .setSource(document.getSource())
            .build());
  }
}
