package org.millrace.processors.dedup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.millrace.schemas.DedupAnswer;
import org.millrace.schemas.DedupBucket;
import org.millrace.schemas.DedupBucketMember;
import org.millrace.schemas.DedupLaterCopy;
import org.millrace.schemas.DedupQuestion;
import org.millrace.schemas.DuplicateKind;

/**
 * Answers a document's question for the buckets of it that this task holds ({@link BucketRouting}):
 * every document that asks one bucket meets its members here, in the order of this task's input
 * partition.
 *
 * <p><b>Content-hash buckets</b> decide by arrival: the first document of a text to reach its
 * bucket is the original of every later one. One task reads them all in log order, so of a set of
 * byte-identical texts exactly one is not an exact duplicate, whatever the timing, the partitions
 * they came from, crashes or restarts (exactly once commits the bucket with the answer).
 *
 * <p><b>URL and LSH buckets</b> decide by record time: a member is the original of the asking
 * document if it is earlier (an older timestamp, or the same and a smaller id) and, in an LSH
 * bucket with verification on, their signatures agree on at least the threshold of their positions
 * (the estimated Jaccard similarity). A document asks up to 15 such buckets in as many tasks, whose
 * arrival orders may differ; the order of (timestamp, id) is the same in all of them, so no two
 * documents can each name the other, and no chain of originals can close into a ring. A member that
 * copies the asking document but is later reached the bucket first (a race, {@code late-originals};
 * a partition that stalled): the answer names it as a later copy, with its partition, and the
 * asker's task asks that partition's whether it found an earlier original of its own ({@link
 * RaceQuestionProcessor}; docs/dedup.md). Of several originals, the most similar, then the
 * earliest, is named. A document that copies no earlier member joins the bucket (up to its
 * maximum), so that later documents are compared with it too. Only the first of each text asks
 * these buckets, so no text is ever a near or URL copy of another copy of itself.
 *
 * <p>The first-seen timestamp of each bucket lets a punctuation forget buckets older than the
 * retention.
 */
final class BucketProcessor implements Processor<String, DedupQuestion, String, DedupAnswer> {

  private final DedupSettings settings;
  private ProcessorContext<String, DedupAnswer> context;
  private TimestampedKeyValueStore<String, DedupBucket> buckets;
  private Sensor candidatePairs;
  private Sensor falseCandidates;
  private Sensor lateOriginals;
  private Sensor bucketEntries;

  BucketProcessor(DedupSettings settings) {
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<String, DedupAnswer> context) {
    this.context = context;
    this.buckets = context.getStateStore(DedupTopology.BUCKET_STORE);
    DedupMetrics metrics = new DedupMetrics(context);
    candidatePairs = metrics.counter("candidate-pairs");
    falseCandidates = metrics.counter("false-candidates");
    lateOriginals = metrics.counter("late-originals");
    bucketEntries =
        metrics.gauge("bucket-entries", "Buckets (URL, content hash, LSH) in the store");
    if (settings.retentionMs() >= 0) {
      context.schedule(settings.forgetEvery(), PunctuationType.STREAM_TIME, this::forgetOldBuckets);
    }
    context.schedule(
        Duration.ofSeconds(30),
        PunctuationType.WALL_CLOCK_TIME,
        now -> bucketEntries.record(buckets.approximateNumEntries()));
  }

  @Override
  public void process(Record<String, DedupQuestion> record) {
    DedupQuestion question = record.value();
    int partitions = BucketRouting.partitions(record.headers());
    int mine = context.taskId().partition();
    int[] signature =
        question.getSignature() == null ? null : MinHash.fromBytes(question.getSignature());
    DedupBucketMember asker =
        DedupBucketMember.newBuilder()
            .setDocumentId(question.getDocumentId())
            .setTimestamp(record.timestamp())
            .setSignature(question.getSignature())
            .setPartition(question.getAskerPartition())
            .build();
    int answered = 0;
    DedupAnswer best = BucketAnswers.none(question.getAskerPartition(), 0);
    List<DedupLaterCopy> laterCopies = new ArrayList<>();
    for (BucketQuestions.Bucket bucket : BucketQuestions.buckets(question, settings.lsh())) {
      if (BucketRouting.owner(bucket.key(), partitions) != mine) {
        continue; // another task holds it and answers for it
      }
      answered++;
      DedupAnswer answer =
          answer(bucket, question.getAskerPartition(), signature, asker, record.timestamp());
      if (BucketAnswers.isBetter(answer, best)) {
        best = answer;
      }
      BucketAnswers.addLaterCopies(laterCopies, answer.getLaterCopies());
    }
    best.setAnswered(answered); // one answer for every bucket of the question this task holds
    best.setLaterCopies(laterCopies);
    context.forward(
        new Record<>(question.getDocumentId(), best, record.timestamp(), new RecordHeaders()));
  }

  private DedupAnswer answer(
      BucketQuestions.Bucket bucket,
      int askerPartition,
      int[] signature,
      DedupBucketMember asker,
      long timestamp) {
    ValueAndTimestamp<DedupBucket> stored = buckets.get(bucket.key());
    List<DedupBucketMember> members = stored == null ? List.of() : stored.value().getMembers();
    List<DedupLaterCopy> laterCopies = new ArrayList<>();
    Match original =
        bucket.kind() == DuplicateKind.EXACT
            ? (members.isEmpty() ? null : new Match(members.get(0), 1.0))
            : original(bucket.kind(), signature, asker, members, laterCopies);
    if (original == null && members.size() < settings.bucketMaxMembers()) {
      List<DedupBucketMember> joined = new ArrayList<>(members);
      joined.add(bucket.kind() == DuplicateKind.NEAR ? asker : withoutSignature(asker));
      long firstSeen = stored == null ? timestamp : stored.timestamp();
      buckets.put(bucket.key(), ValueAndTimestamp.make(new DedupBucket(joined), firstSeen));
    }
    DedupAnswer answer =
        original == null
            ? BucketAnswers.none(askerPartition, 1)
            : BucketAnswers.of(
                askerPartition,
                1,
                bucket.kind(),
                original.member().getDocumentId(),
                original.similarity());
    answer.setLaterCopies(laterCopies);
    return answer;
  }

  private static DedupBucketMember withoutSignature(DedupBucketMember member) {
    return DedupBucketMember.newBuilder(member).setSignature(null).build();
  }

  private record Match(DedupBucketMember member, double similarity) {}

  /**
   * The earlier member that {@code asker} copies in a URL or LSH bucket, or null; the later members
   * that copy it (a race) are added to {@code laterCopies}.
   */
  private Match original(
      DuplicateKind kind,
      int[] signature,
      DedupBucketMember asker,
      List<DedupBucketMember> members,
      List<DedupLaterCopy> laterCopies) {
    boolean near = kind == DuplicateKind.NEAR;
    Match best = null;
    for (DedupBucketMember member : members) {
      double similarity = 1.0;
      if (near) {
        similarity = MinHash.similarity(signature, MinHash.fromBytes(member.getSignature()));
      }
      boolean copies = !near || !settings.verify() || similarity >= settings.threshold();
      if (isLater(member, asker)) {
        // a race (see the class comment): the member's own verdict decides, asked of its task;
        // a member stored before race questions existed has no partition to ask, as before
        if (copies) {
          lateOriginals.record();
          if (member.getPartition() >= 0) {
            laterCopies.add(
                DedupLaterCopy.newBuilder()
                    .setDocumentId(member.getDocumentId())
                    .setPartition(member.getPartition())
                    .setKind(kind)
                    .setSimilarity(similarity)
                    .build());
          }
        }
        continue;
      }
      if (near) {
        candidatePairs.record();
        if (!copies) {
          falseCandidates.record();
          continue;
        }
      }
      if (best == null
          || similarity > best.similarity()
          || similarity == best.similarity() && isLater(best.member(), member)) {
        best = new Match(member, similarity);
      }
    }
    return best;
  }

  /** Whether {@code a} comes after {@code b} in record time: the same order in every bucket. */
  private static boolean isLater(DedupBucketMember a, DedupBucketMember b) {
    return a.getTimestamp() != b.getTimestamp()
        ? a.getTimestamp() > b.getTimestamp()
        : a.getDocumentId().compareTo(b.getDocumentId()) > 0;
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
