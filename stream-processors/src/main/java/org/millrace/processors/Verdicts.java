package org.millrace.processors;

import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.millrace.schemas.AvroSerde;

/**
 * Counts a stream of verdicts ({@link VerdictCounter}) and splits it: rejections go to the rejected
 * topic, passed values go on.
 */
public final class Verdicts {

  private Verdicts() {}

  /**
   * Writes the rejections of {@code verdicts} to {@code rejectedTopic} and returns the passed
   * values, keyed by document id.
   */
  @SuppressWarnings("unchecked")
  public static <T> KStream<String, T> rejectToTopicAndPassOn(
      String step, KStream<String, Verdict<T>> verdicts, String rejectedTopic) {
    Map<String, KStream<String, Verdict<T>>> branches =
        verdicts
            .processValues(() -> new VerdictCounter<T>(step), Named.as(step + "-count"))
            .split(Named.as(step + "-"))
            .branch((id, verdict) -> verdict instanceof Verdict.Reject, Branched.as("rejected"))
            .defaultBranch(Branched.as("passed"));

    branches
        .get(step + "-rejected")
        .mapValues(
            verdict -> ((Verdict.Reject<T>) verdict).rejected(), Named.as(step + "-rejection"))
        .to(
            rejectedTopic,
            Produced.with(Serdes.String(), AvroSerde.rejectedDocument())
                .withName(step + "-to-rejected"));
    return branches
        .get(step + "-passed")
        .mapValues(verdict -> ((Verdict.Pass<T>) verdict).value(), Named.as(step + "-value"));
  }
}
