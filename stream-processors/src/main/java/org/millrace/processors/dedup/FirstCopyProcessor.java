package org.millrace.processors.dedup;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.DuplicateKind;
import org.millrace.schemas.DuplicateRecord;

/**
 * Keeps the first document seen with each content hash and marks every later one a duplicate of it.
 * Input is keyed by content hash, so every copy of a text meets in the same task and the same
 * store; output is keyed by document id again.
 */
final class FirstCopyProcessor implements Processor<String, CleanDocument, String, DedupDecision> {

  private final String storeName;
  private ProcessorContext<String, DedupDecision> context;
  private KeyValueStore<String, String> firstIdByHash;

  FirstCopyProcessor(String storeName) {
    this.storeName = storeName;
  }

  @Override
  public void init(ProcessorContext<String, DedupDecision> context) {
    this.context = context;
    this.firstIdByHash = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, CleanDocument> record) {
    String hash = record.key();
    CleanDocument document = record.value();
    String firstId = firstIdByHash.get(hash);
    DedupDecision decision;
    if (firstId == null) {
      firstIdByHash.put(hash, document.getId());
      decision = new DedupDecision.Unique(document);
    } else {
      decision =
          new DedupDecision.Duplicate(
              DuplicateRecord.newBuilder()
                  .setDuplicateId(document.getId())
                  .setOriginalId(firstId)
                  .setKind(DuplicateKind.EXACT)
                  .setSimilarity(1.0)
                  .setContentHash(hash)
                  .setUrl(document.getUrl())
                  .setSource(document.getSource())
                  .build());
    }
    context.forward(record.withKey(document.getId()).withValue(decision));
  }
}
