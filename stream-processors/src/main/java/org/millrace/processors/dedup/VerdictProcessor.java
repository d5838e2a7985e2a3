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
import org.millrace.schemas.DedupLaterCopy;
import org.millrace.schemas.DedupPending;
import org.millrace.schemas.DedupQuestion;
import org.millrace.schemas.DedupRaceAnswer;
import org.millrace.schemas.DedupRaceQuestion;
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
 * second: a duplicate of the best earlier original a bucket named (URL before exact before near,
 * then the highest similarity, then the smallest id). If no bucket named one, the document is an
 * original ({@link DedupTopology#ORIGINAL_STORE}); it is unique unless a bucket found later copies
 * of it that arrived first: then it asks about each of them ({@link RaceQuestionProcessor}) and its
 * verdict waits for the answers ({@link RaceVerdictProcessor}). Questions about this document that
 * came while its buckets were still answering are answered now.
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
  private KeyValueStore<String, Long> originals;
  private DocumentVerdicts verdicts;
  private Sensor raceQuestions;

  VerdictProcessor(BucketQuestions questions) {
    this.questions = questions;
  }

  @Override
  public void init(ProcessorContext<String, DedupDecision> context) {
    this.context = context;
    this.documents = context.getStateStore(DedupTopology.DOCUMENT_STORE);
    this.pending = context.getStateStore(DedupTopology.PENDING_STORE);
    this.order = context.getStateStore(DedupTopology.ORDER_STORE);
    this.originals = context.getStateStore(DedupTopology.ORIGINAL_STORE);
    this.verdicts = new DocumentVerdicts(context);
    this.raceQuestions = new DedupMetrics(context).counter("race-questions");
  }

  /** Whether every bucket the document asked has answered (so its original, if any, is known). */
  static boolean bucketsAnswered(DedupPending state) {
    return state.getExpectedAnswers() > 1 && state.getAnswers() >= state.getExpectedAnswers();
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
    BucketAnswers.keepBetter(state, answer);
    List<DedupLaterCopy> laterCopies = new ArrayList<>(state.getLaterCopies());
    BucketAnswers.addLaterCopies(laterCopies, answer.getLaterCopies());
    state.setLaterCopies(laterCopies);
    boolean firstQuestion = state.getExpectedAnswers() == 1;
    if (state.getAnswers() < state.getExpectedAnswers()
        || firstQuestion && state.getOriginalId() == null) {
      pending.put(id, state); // waiting for answers, or for its turn to ask again
    } else if (firstQuestion) {
      context.forward(verdicts.take(id, state)); // an exact duplicate
    } else {
      onBucketsAnswered(id, state, record.timestamp());
    }
    if (firstQuestion) {
      askInOrder();
    }
  }

  /**
   * Every bucket has answered: the document has an earlier original, or it is an original itself
   * (remembered, for the earlier copies that may still reach its buckets after it) and its verdict
   * waits only for the answers about the later copies that raced it, if any.
   */
  private void onBucketsAnswered(String id, DedupPending state, long timestamp) {
    boolean original = state.getOriginalId() == null;
    if (original) {
      originals.put(id, timestamp);
    }
    for (DedupRaceQuestion waiting : state.getRaceQuestions()) {
      DedupRaceAnswer answer =
          DedupRaceAnswer.newBuilder()
              .setAskerPartition(waiting.getAskerPartition())
              .setDocumentId(id)
              .setOriginal(original)
              .build();
      context.forward(
          new Record<>(
              waiting.getAskerId(),
              new DedupDecision.AnswerRace(answer),
              timestamp,
              new RecordHeaders()));
    }
    state.setRaceQuestions(List.of());
    if (!original || state.getLaterCopies().isEmpty()) {
      context.forward(verdicts.take(id, state));
      return;
    }
    for (DedupLaterCopy copy : state.getLaterCopies()) {
      DedupRaceQuestion question =
          DedupRaceQuestion.newBuilder()
              .setDocumentId(copy.getDocumentId())
              .setPartition(copy.getPartition())
              .setAskerId(id)
              .setAskerPartition(context.taskId().partition())
              .build();
      raceQuestions.record();
      context.forward(
          new Record<>(
              copy.getDocumentId(),
              new DedupDecision.AskRace(question),
              timestamp,
              new RecordHeaders()));
    }
    pending.put(id, state);
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
      context.forward(verdicts.take(id, state));
      return;
    }
    state.setExpectedAnswers(
        state.getAnswers() + BucketQuestions.buckets(second, questions.lsh()).size());
    pending.put(id, state);
    context.forward(
        new Record<>(
            id, new DedupDecision.AskBuckets(second), document.timestamp(), new RecordHeaders()));
  }
}
