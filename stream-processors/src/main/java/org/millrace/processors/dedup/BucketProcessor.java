package org.millrace.processors.dedup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.millrace.schemas.DedupBucket;
import org.millrace.schemas.DedupBucketMember;
import org.millrace.schemas.DedupPart;
import org.millrace.schemas.DedupProbe;
import org.millrace.schemas.DuplicateKind;

/**
 * Answers each document's question to one bucket: input is keyed by bucket, so every document that
 * asks a bucket meets its members here.
 *
 * <p>A member is the original of the asking document if it is earlier and, in an LSH bucket with
 * verification on, their signatures agree on at least the threshold of their positions (the
 * estimated Jaccard similarity). Of several, the most similar, then the earliest, is named. A
 * document that copies no member joins the bucket (up to its maximum), so that later documents are
 * compared with it too.
 *
 * <p>Earlier means an older record timestamp, or the same timestamp and arrived first. Arrival
 * alone would not do: a document asks up to 16 buckets in as many tasks, and two copies read from
 * different partitions by different threads can reach one bucket in one order and another bucket in
 * the other; each could then name the other as its original, and both would be removed. Timestamps
 * are the same in every bucket, so a copy that arrives late with an older timestamp is kept instead
 * (a missed duplicate rather than a lost original). Only copies of the same millisecond racing on
 * different threads still depend on arrival.
 *
 * <p>The answer, keyed by the asking document, goes on to {@link VerdictProcessor}. The first-seen
 * timestamp of each bucket lets a punctuation forget buckets older than the retention.
 */
final class BucketProcessor implements Processor<String, DedupProbe, String, DedupPart> {

  private final String storeName;
  private final DedupSettings settings;
  private ProcessorContext<String, DedupPart> context;
  private TimestampedKeyValueStore<String, DedupBucket> buckets;
  private Sensor candidatePairs;
  private Sensor falseCandidates;
  private Sensor bucketEntries;

  BucketProcessor(String storeName, DedupSettings settings) {
    this.storeName = storeName;
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<String, DedupPart> context) {
    this.context = context;
    this.buckets = context.getStateStore(storeName);
    DedupMetrics metrics = new DedupMetrics(context);
    candidatePairs = metrics.counter("candidate-pairs");
    falseCandidates = metrics.counter("false-candidates");
    bucketEntries =
        metrics.gauge("bucket-entries", "Buckets (URL, content hash, LSH) in the store");
    if (settings.retentionMs() >= 0) {
      Duration every =
          Duration.ofMillis(Math.max(1000, Math.min(60_000, settings.retentionMs() / 10)));
      context.schedule(every, PunctuationType.STREAM_TIME, this::forgetOldBuckets);
    }
    context.schedule(
        Duration.ofSeconds(30),
        PunctuationType.WALL_CLOCK_TIME,
        now -> bucketEntries.record(buckets.approximateNumEntries()));
  }

  @Override
  public void process(Record<String, DedupProbe> record) {
    DedupProbe probe = record.value();
    DedupBucketMember asker =
        DedupBucketMember.newBuilder()
            .setDocumentId(probe.getDocumentId())
            .setTimestamp(record.timestamp())
            .setSignature(probe.getSignature())
            .build();
    ValueAndTimestamp<DedupBucket> stored = buckets.get(record.key());
    List<DedupBucketMember> members = stored == null ? List.of() : stored.value().getMembers();

    Match original = original(probe, asker, members);
    if (original == null && members.size() < settings.bucketMaxMembers()) {
      List<DedupBucketMember> joined = new ArrayList<>(members);
      joined.add(asker);
      long firstSeen = stored == null ? record.timestamp() : stored.timestamp();
      buckets.put(record.key(), ValueAndTimestamp.make(new DedupBucket(joined), firstSeen));
    }
    DedupPart answer =
        DedupPart.newBuilder()
            .setKind(probe.getKind())
            .setOriginalId(original == null ? null : original.member().getDocumentId())
            .setSimilarity(original == null ? 0.0 : original.similarity())
            .build();
    context.forward(record.withKey(probe.getDocumentId()).withValue(answer));
  }

  private record Match(DedupBucketMember member, double similarity) {}

  /** The member that {@code asker} copies, or null. */
  private Match original(
      DedupProbe probe, DedupBucketMember asker, List<DedupBucketMember> members) {
    boolean near = probe.getKind() == DuplicateKind.NEAR;
    int[] signature = near ? MinHash.fromBytes(probe.getSignature()) : null;
    Match best = null;
    for (DedupBucketMember member : members) {
      if (member.getTimestamp() > asker.getTimestamp()) {
        continue; // later, though it arrived first: see the class comment
      }
      double similarity = 1.0;
      if (near) {
        candidatePairs.record();
        similarity = MinHash.similarity(signature, MinHash.fromBytes(member.getSignature()));
        if (settings.verify() && similarity < settings.threshold()) {
          falseCandidates.record();
          continue;
        }
      }
      if (best == null
          || similarity > best.similarity()
          || similarity == best.similarity()
              && member.getTimestamp() < best.member().getTimestamp()) {
        best = new Match(member, similarity);
      }
    }
    return best;
  }

  /** Deletes the buckets first seen before stream time minus the retention. */
  private void forgetOldBuckets(long streamTime) {
    long oldest = streamTime - settings.retentionMs();
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, ValueAndTimestamp<DedupBucket>> all = buckets.all()) {
      while (all.hasNext()) {
        KeyValue<String, ValueAndTimestamp<DedupBucket>> entry = all.next();
        if (entry.value.timestamp() < oldest) {
          expired.add(entry.key);
        }
      }
    }
    expired.forEach(buckets::delete);
  }
}
