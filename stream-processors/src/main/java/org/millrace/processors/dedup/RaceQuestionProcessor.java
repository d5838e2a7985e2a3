package org.millrace.processors.dedup;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.millrace.schemas.DedupPending;
import org.millrace.schemas.DedupRaceAnswer;
import org.millrace.schemas.DedupRaceQuestion;

/**
 * Answers, in the task of a later copy's input partition, a document that met the copy in a bucket
 * it had reached first: did the copy find an earlier original of its own? Known once every bucket
 * the copy asked has answered: then from the original store ({@link DedupTopology#ORIGINAL_STORE},
 * absent: it had one); before that, the question waits in the copy's pending state and {@link
 * VerdictProcessor} answers it when the last bucket does. Whether a document found an earlier
 * original depends on its buckets alone, never on another race question, so no answer ever waits
 * for more than one document's buckets.
 *
 * <p>With a retention, the original store forgets documents older than it, as the buckets do.
 */
final class RaceQuestionProcessor
    implements Processor<String, DedupRaceQuestion, String, DedupRaceAnswer> {

  private final DedupSettings settings;
  private ProcessorContext<String, DedupRaceAnswer> context;
  private KeyValueStore<String, DedupPending> pending;
  private KeyValueStore<String, Long> originals;

  RaceQuestionProcessor(DedupSettings settings) {
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<String, DedupRaceAnswer> context) {
    this.context = context;
    this.pending = context.getStateStore(DedupTopology.PENDING_STORE);
    this.originals = context.getStateStore(DedupTopology.ORIGINAL_STORE);
    if (settings.retentionMs() >= 0) {
      context.schedule(
          settings.forgetEvery(), PunctuationType.STREAM_TIME, this::forgetOldOriginals);
    }
  }

  @Override
  public void process(Record<String, DedupRaceQuestion> record) {
    DedupRaceQuestion question = record.value();
    String copy = question.getDocumentId();
    DedupPending state = pending.get(copy);
    if (state != null && !VerdictProcessor.bucketsAnswered(state)) {
      List<DedupRaceQuestion> waiting = new ArrayList<>(state.getRaceQuestions());
      waiting.add(question);
      state.setRaceQuestions(waiting);
      pending.put(copy, state);
      return;
    }
    DedupRaceAnswer answer =
        DedupRaceAnswer.newBuilder()
            .setAskerPartition(question.getAskerPartition())
            .setDocumentId(copy)
            .setOriginal(originals.get(copy) != null)
            .build();
    context.forward(
        new Record<>(question.getAskerId(), answer, record.timestamp(), new RecordHeaders()));
  }

  /** Forgets the originals whose record time is before stream time minus the retention. */
  private void forgetOldOriginals(long streamTime) {
    long oldest = streamTime - settings.retentionMs();
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, Long> all = originals.all()) {
      while (all.hasNext()) {
        KeyValue<String, Long> entry = all.next();
        if (entry.value < oldest) {
          expired.add(entry.key);
        }
      }
    }
    expired.forEach(originals::delete);
  }
}
