package org.millrace.processors.dedup;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.millrace.schemas.DedupLaterCopy;
import org.millrace.schemas.DedupPending;
import org.millrace.schemas.DedupRaceAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the answers about the later copies that raced a document to its buckets, in the document's
 * task: a copy that found no earlier original of its own is the document's original (it reached the
 * buckets first, and may be out in docs.unique already); one that did stands for nothing here. Once
 * every copy is answered for, the verdict: a duplicate of the best such copy (URL before near, then
 * the highest similarity, then the smallest id), or unique.
 */
final class RaceVerdictProcessor
    implements Processor<String, DedupRaceAnswer, String, DedupDecision> {

  private static final Logger LOG = LoggerFactory.getLogger(RaceVerdictProcessor.class);

  private ProcessorContext<String, DedupDecision> context;
  private KeyValueStore<String, DedupPending> pending;
  private DocumentVerdicts verdicts;

  @Override
  public void init(ProcessorContext<String, DedupDecision> context) {
    this.context = context;
    this.pending = context.getStateStore(DedupTopology.PENDING_STORE);
    this.verdicts = new DocumentVerdicts(context);
  }

  @Override
  public void process(Record<String, DedupRaceAnswer> record) {
    String id = record.key();
    DedupRaceAnswer answer = record.value();
    DedupPending state = pending.get(id);
    List<DedupLaterCopy> waiting =
        state == null ? List.of() : new ArrayList<>(state.getLaterCopies());
    DedupLaterCopy copy =
        waiting.stream()
            .filter(c -> c.getDocumentId().equals(answer.getDocumentId()))
            .findFirst()
            .orElse(null);
    if (copy == null) {
      LOG.warn(
          "An answer about {} for document {}, which is not waiting for one; ignored",
          answer.getDocumentId(),
          id);
      return;
    }
    waiting.remove(copy);
    state.setLaterCopies(waiting);
    if (answer.getOriginal()) {
      BucketAnswers.keepBetter(state, BucketAnswers.naming(copy));
    }
    if (waiting.isEmpty()) {
      context.forward(verdicts.take(id, state));
    } else {
      pending.put(id, state);
    }
  }
}
