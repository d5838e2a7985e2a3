package org.millrace.processors.dedup;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.DedupAnswer;
import org.millrace.schemas.DedupPending;
import org.millrace.schemas.DedupQuestion;
import org.millrace.schemas.DuplicateKind;
import org.millrace.schemas.DuplicateRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles each document's verdict from its buckets' answers, in the task that took the document
 * in ({@link AskProcessor}): answers are routed back to the partition of docs.clean their document
 * came from. An answer covers the buckets of one task; the document waits in the pending store
 * until the answers cover every bucket it asked.
 *
 * <p>After the first question (the content hash): a copy of an earlier text is an exact duplicate
 * at once; the first of its text asks its URL and LSH buckets next, if it has any. After the
 * second: unique if no bucket named an original, otherwise a duplicate of the best one (URL before
 * exact before near, then the highest similarity, then the smallest id).
 */
final class VerdictProcessor implements Processor<String, DedupAnswer, String, DedupDecision> {

  private static final Logger LOG = LoggerFactory.getLogger(VerdictProcessor.class);

  private final BucketQuestions questions;
  private ProcessorContext<String, DedupDecision> context;
  private TimestampedKeyValueStore<String, CleanDocument> documents;
  private KeyValueStore<Long, String> order;
  // Where the order store's live entries start: those before were deleted, and RocksDB would walk
  // over their tombstones on every scan from the start.
  private long firstInOrder = 0;
  private KeyValueStore<String, DedupPending> pending;
  private Sensor unique;
  private Sensor urlDuplicates;
  private Sensor exactDuplicates;
  private Sensor nearDuplicates;

  VerdictProcessor(BucketQuestions questions) {
    this.questions = questions;
  }

  @Override
  public void init(ProcessorContext<String, DedupDecision> context) {
    this.context = context;
    this.documents = context.getStateStore(DedupTopology.DOCUMENT_STORE);
    this.pending = context.getStateStore(DedupTopology.PENDING_STORE);
    this.order = context.getStateStore(DedupTopology.ORDER_STORE);
    DedupMetrics metrics = new DedupMetrics(context);
    unique = metrics.counter("unique");
    urlDuplicates = metrics.counter("url-duplicates");
    exactDuplicates = metrics.counter("exact-duplicates");
    nearDuplicates = metrics.counter("near-duplicates");
  }

  @Override
  public void process(Record<String, DedupAnswer> record) {
    String id = record.key();
    DedupAnswer answer = record.value();
    DedupPending state = pending.get(id);
    if (state == null) {
      // only a document id repeated while its first copy was in flight can leave an answer over
      LOG.warn("An answer for document {}, which is not waiting for one; ignored", id);
      return;
    }
    state.setAnswers(state.getAnswers() + answer.getAnswered());
    if (BucketAnswers.isBetter(answer, best(state))) {
      state.setKind(answer.getKind());
      state.setOriginalId(answer.getOriginalId());
      state.setSimilarity(answer.getSimilarity());
    }
    boolean firstQuestion = state.getExpectedAnswers() == 1;
    if (state.getAnswers() < state.getExpectedAnswers()
        || firstQuestion && state.getOriginalId() == null) {
      pending.put(id, state); // waiting for answers, or for its turn to ask again
    } else {
      decide(id, state);
    }
    if (firstQuestion) {
      askInOrder();
    }
  }

  /**
   * Sends the second questions of the documents at the head of the order store whose first answer
   * is in, in the order they were read, up to the first that is still waiting for its first answer.
   */
  private void askInOrder() {
    List<KeyValue<Long, String>> done = new ArrayList<>();
    try (KeyValueIterator<Long, String> inOrder = order.range(firstInOrder, Long.MAX_VALUE)) {
      while (inOrder.hasNext()) {
        KeyValue<Long, String> next = inOrder.next();
        DedupPending state = pending.get(next.value);
        if (state != null && state.getExpectedAnswers() == 1) {
          if (state.getAnswers() < 1) {
            break; // its first answer is not in yet: those after it wait
          }
          askSecond(next.value, state);
        }
        done.add(next); // asked, or decided already (an exact duplicate)
      }
    }
    for (KeyValue<Long, String> entry : done) {
      order.delete(entry.key);
      firstInOrder = entry.key + 1;
    }
  }

  private void askSecond(String id, DedupPending state) {
    ValueAndTimestamp<CleanDocument> document = documents.get(id);
    DedupQuestion second = questions.second(document.value(), context.taskId().partition());
    if (second == null) {
      decide(id, state);
      return;
    }
    state.setExpectedAnswers(
        state.getAnswers() + BucketQuestions.buckets(second, questions.lsh()).size());
    pending.put(id, state);
    context.forward(
        new Record<>(
            id, new DedupDecision.AskBuckets(second), document.timestamp(), new RecordHeaders()));
  }

  private void decide(String id, DedupPending state) {
    ValueAndTimestamp<CleanDocument> document = documents.get(id);
    documents.delete(id);
    pending.delete(id);
    context.forward(
        new Record<>(
            id, decide(document.value(), state), document.timestamp(), new RecordHeaders()));
  }

  private static DedupAnswer best(DedupPending state) {
    return BucketAnswers.of(-1, 0, state.getKind(), state.getOriginalId(), state.getSimilarity());
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
