package org.millrace.processors.dedup;

import java.time.Duration;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.DedupPart;
import org.millrace.schemas.DedupPending;
import org.millrace.schemas.DuplicateKind;
import org.millrace.schemas.DuplicateRecord;

/**
 * Assembles each document's verdict from the answers of the buckets it asked. Input is keyed by
 * document id: the document itself (with the number of answers to wait for) and each answer arrive
 * here in any order, and wait in the pending store until all are in. Then the document is unique
 * when no bucket named an original, and otherwise a duplicate of the best original: a URL match
 * before an exact one before a near one, and among near ones the most similar.
 */
final class VerdictProcessor implements Processor<String, DedupPart, String, DedupDecision> {

  private final String storeName;
  private ProcessorContext<String, DedupDecision> context;
  private KeyValueStore<String, DedupPending> pending;
  private Sensor documentsIn;
  private Sensor unique;
  private Sensor urlDuplicates;
  private Sensor exactDuplicates;
  private Sensor nearDuplicates;
  private Sensor pendingEntries;

  VerdictProcessor(String storeName) {
    this.storeName = storeName;
  }

  @Override
  public void init(ProcessorContext<String, DedupDecision> context) {
    this.context = context;
    this.pending = context.getStateStore(storeName);
    DedupMetrics metrics = new DedupMetrics(context);
    documentsIn = metrics.counter("documents-in");
    unique = metrics.counter("unique");
    urlDuplicates = metrics.counter("url-duplicates");
    exactDuplicates = metrics.counter("exact-duplicates");
    nearDuplicates = metrics.counter("near-duplicates");
    pendingEntries =
        metrics.gauge("pending-entries", "Documents waiting for their buckets' answers");
    // counted, not estimated: the store holds only the documents in flight
    context.schedule(
        Duration.ofSeconds(30),
        PunctuationType.WALL_CLOCK_TIME,
        now -> pendingEntries.record(count(pending)));
  }

  @Override
  public void process(Record<String, DedupPart> record) {
    String id = record.key();
    DedupPart part = record.value();
    DedupPending state = pending.get(id);
    if (state == null) {
      state = DedupPending.newBuilder().build();
    }
    if (part.getDocument() != null) {
      documentsIn.record();
      state.setDocument(part.getDocument());
      state.setExpectedAnswers(part.getExpectedAnswers());
    } else {
      state.setAnswers(state.getAnswers() + 1);
      if (part.getOriginalId() != null && isBetter(part, state)) {
        state.setKind(part.getKind());
        state.setOriginalId(part.getOriginalId());
        state.setSimilarity(part.getSimilarity());
      }
    }
    if (state.getAnswers() == state.getExpectedAnswers()) {
      pending.delete(id);
      context.forward(record.withValue(decide(state)));
    } else {
      pending.put(id, state);
    }
  }

  /**
   * URL before exact before near; between near matches, the higher similarity, then the smaller
   * original id: answers arrive in an order that depends on timing, the verdict must not.
   */
  private static boolean isBetter(DedupPart answer, DedupPending best) {
    if (best.getKind() == null) {
      return true;
    }
    int byKind = Integer.compare(rank(answer.getKind()), rank(best.getKind()));
    if (byKind != 0) {
      return byKind < 0;
    }
    int bySimilarity = Double.compare(answer.getSimilarity(), best.getSimilarity());
    if (bySimilarity != 0) {
      return bySimilarity > 0;
    }
    return answer.getOriginalId().compareTo(best.getOriginalId()) < 0;
  }

  private static long count(KeyValueStore<String, DedupPending> store) {
    long entries = 0;
    try (KeyValueIterator<String, DedupPending> all = store.all()) {
      while (all.hasNext()) {
        all.next();
        entries++;
      }
    }
    return entries;
  }

  private static int rank(DuplicateKind kind) {
    return switch (kind) {
      case URL -> 0;
      case EXACT -> 1;
      case NEAR -> 2;
    };
  }

  private DedupDecision decide(DedupPending state) {
    CleanDocument document = state.getDocument();
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
