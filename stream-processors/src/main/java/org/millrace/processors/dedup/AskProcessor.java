package org.millrace.processors.dedup;

import java.time.Duration;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.DedupPending;
import org.millrace.schemas.DedupQuestion;

/**
 * Takes each document of docs.clean in: keeps it in the document store of its own task until its
 * verdict is out, and sends its first question, its content hash, to the bucket that holds it. The
 * answers come back to this task ({@link VerdictProcessor}), which reads the same stores.
 */
final class AskProcessor implements Processor<String, CleanDocument, String, DedupQuestion> {

  private final BucketQuestions questions;
  private ProcessorContext<String, DedupQuestion> context;
  private TimestampedKeyValueStore<String, CleanDocument> documents;
  private KeyValueStore<Long, String> order;
  private KeyValueStore<String, DedupPending> pending;
  private Sensor documentsIn;
  private Sensor pendingEntries;

  AskProcessor(BucketQuestions questions) {
    this.questions = questions;
  }

  @Override
  public void init(ProcessorContext<String, DedupQuestion> context) {
    this.context = context;
    this.documents = context.getStateStore(DedupTopology.DOCUMENT_STORE);
    this.pending = context.getStateStore(DedupTopology.PENDING_STORE);
    this.order = context.getStateStore(DedupTopology.ORDER_STORE);
    DedupMetrics metrics = new DedupMetrics(context);
    documentsIn = metrics.counter("documents-in");
    pendingEntries =
        metrics.gauge("pending-entries", "Documents waiting for their buckets' answers");
    // counted, not estimated: the store holds only the documents in flight
    context.schedule(
        Duration.ofSeconds(30),
        PunctuationType.WALL_CLOCK_TIME,
        now -> pendingEntries.record(count(pending)));
  }

  @Override
  public void process(Record<String, CleanDocument> record) {
    documentsIn.record();
    String id = record.key();
    documents.put(id, ValueAndTimestamp.make(record.value(), record.timestamp()));
    order.put(context.recordMetadata().orElseThrow().offset(), id);
    pending.put(id, DedupPending.newBuilder().setExpectedAnswers(1).build());
    DedupQuestion first = questions.first(record.value(), context.taskId().partition());
    // headers of its own: the partitioner writes the partition count into them
    context.forward(new Record<>(id, first, record.timestamp(), new RecordHeaders()));
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
}
