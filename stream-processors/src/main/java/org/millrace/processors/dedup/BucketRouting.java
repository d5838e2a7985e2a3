package org.millrace.processors.dedup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.millrace.schemas.DedupAnswer;
import org.millrace.schemas.DedupQuestion;
import org.millrace.schemas.DedupRaceAnswer;
import org.millrace.schemas.DedupRaceQuestion;

/**
 * Which task holds which bucket, and how questions and answers reach them.
 *
 * <p>A bucket belongs to the partition of the questions topic that the producer's default
 * partitioner would give its key (murmur2). A question is one record however many buckets it names:
 * it is sent to every partition that holds at least one of them (Kafka Streams' multicast), and
 * each of those tasks answers for its own buckets only. For that a task must know the partition
 * count, which only the partitioner is told; the partitioner writes it into the record's {@link
 * #PARTITIONS_HEADER} header. Answers go back to the partition of docs.clean their document came
 * from, whose task holds the document and assembles its verdict; race questions go to the partition
 * of the later copy they ask about, and their answers back to the asker's.
 */
final class BucketRouting {

  /** The partition count of the questions topic when the question was sent, 4 bytes big-endian. */
  static final String PARTITIONS_HEADER = "millrace.dedup.partitions";

  private BucketRouting() {}

  /** The partition, of {@code partitions}, that holds the bucket {@code key}. */
  static int owner(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /** The partition count a question's record was sent with. */
  static int partitions(Headers headers) {
    Header header = headers.lastHeader(PARTITIONS_HEADER);
    if (header == null) {
      throw new IllegalStateException(
          "a dedup question without the " + PARTITIONS_HEADER + " header: not sent by this stage");
    }
    return ByteBuffer.wrap(header.value()).getInt();
  }

  /** Sends each question to the partitions that hold its buckets. */
  static StreamPartitioner<String, DedupQuestion> questions(LshBands lsh) {
    return new StreamPartitioner<>() {
      @Override
      public Optional<Set<Integer>> partitions(
          String topic, String key, DedupQuestion question, int partitions) {
        Set<Integer> owners = new HashSet<>();
        for (BucketQuestions.Bucket bucket : BucketQuestions.buckets(question, lsh)) {
          owners.add(owner(bucket.key(), partitions));
        }
        return Optional.of(owners);
      }

      @Override
      public Optional<Set<Integer>> partitions(
          String topic, String key, DedupQuestion question, Headers headers, int partitions) {
        headers.remove(PARTITIONS_HEADER);
        headers.add(PARTITIONS_HEADER, ByteBuffer.allocate(4).putInt(partitions).array());
        return partitions(topic, key, question, partitions);
      }
    };
  }

  /** Sends each answer to the partition its document came from. */
  static StreamPartitioner<String, DedupAnswer> answers() {
    return toPartition(DedupAnswer::getAskerPartition);
  }

  /** Sends each race question to the partition its later copy came from. */
  static StreamPartitioner<String, DedupRaceQuestion> raceQuestions() {
    return toPartition(DedupRaceQuestion::getPartition);
  }

  /** Sends each race answer to the partition its asking document came from. */
  static StreamPartitioner<String, DedupRaceAnswer> raceAnswers() {
    return toPartition(DedupRaceAnswer::getAskerPartition);
  }

  /** Sends each record to the partition of docs.clean it names, whose task holds its document. */
  private static <V> StreamPartitioner<String, V> toPartition(ToIntFunction<V> partitionOf) {
    return (topic, key, value, partitions) -> {
      int partition = partitionOf.applyAsInt(value);
      if (partition >= partitions) {
        throw new IllegalStateException(
            "the topic "
                + topic
                + " has "
                + partitions
                + " partitions, fewer than the input whose document it goes to (partition "
                + partition
                + ")");
      }
      return Optional.of(Set.of(partition));
    };
  }
}
