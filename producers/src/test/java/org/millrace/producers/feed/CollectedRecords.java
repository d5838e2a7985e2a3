package org.millrace.producers.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.reject.RejectReason;

/** A {@link RecordSink} that keeps what a reader found, for tests without Kafka. */
final class CollectedRecords implements RecordSink {

  record Rejected(String source, RejectReason reason, String detail, long size) {}

  final List<RawDocument> documents = new ArrayList<>();
  final List<Rejected> rejected = new ArrayList<>();
  final Map<String, Integer> skipped = new TreeMap<>();
  private final int documentMaxBytes;

  CollectedRecords(int documentMaxBytes) {
    this.documentMaxBytes = documentMaxBytes;
  }

  @Override
  public void document(RawDocument document) {
    documents.add(document);
  }

  @Override
  public void rejected(
      String source, RejectReason reason, String detail, byte[] payload, long size) {
    rejected.add(new Rejected(source, reason, detail, size));
  }

  @Override
  public void skipped(String kind) {
    skipped.merge(kind, 1, Integer::sum);
  }

  @Override
  public int documentMaxBytes() {
    return documentMaxBytes;
  }
}
