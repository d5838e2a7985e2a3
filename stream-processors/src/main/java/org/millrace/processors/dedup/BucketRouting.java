package org.millrace.processors.dedup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.millrace.schemas.DedupAnswer;
import org.millrace.schemas.DedupQuestion;

/**
 * Which task holds which bucket, and how questions and answers reach them.
 *
 * <p>A bucket belongs to the partition of the questions topic that the producer's default
 * partitioner would give its key (murmur2). A question is one record however many buckets it names:
 * it is sent to every partition that holds at least one of them (Kafka Streams' multicast), and
 * each of those tasks answers for its own buckets only. For that a task must know the partition
 * count, which only the partitioner is told; the partitioner writes it into the record's {@link
 * #PARTITIONS_HEADER} header. Answers go back to the partition of docs.clean their document came
 * from, whose task holds the document and assembles its verdict.
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
    return (topic, key, answer, partitions) -> {
      if (answer.getAskerPartition() >= partitions) {
        throw new IllegalStateException(
            "the answers topic "
                + topic
                + " has "
                + partitions
                + " partitions, fewer than the input it answers (partition "
                + answer.getAskerPartition()
                + ")");
      }
      return Optional.of(Set.of(answer.getAskerPartition()));
    };
  }
}
