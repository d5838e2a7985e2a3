package org.millrace.processors;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.millrace.schemas.reject.Origin;

/**
 * Runs a {@link RecordJudge} on every record of a byte-array stream and forwards its verdict, keyed
 * by the document id. Reading input as raw bytes means a record that does not deserialise never
 * stops the stage: the judge turns it into a rejection like any other bad input.
 */
public final class JudgeProcessor<T> implements Processor<byte[], byte[], String, Verdict<T>> {

  private final RecordJudge<T> judge;
  private ProcessorContext<String, Verdict<T>> context;

  public JudgeProcessor(RecordJudge<T> judge) {
    this.judge = judge;
  }

  @Override
  public void init(ProcessorContext<String, Verdict<T>> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    Origin origin =
        context
            .recordMetadata()
            .map(metadata -> new Origin(metadata.topic(), metadata.partition(), metadata.offset()))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "JudgeProcessor must read straight from a source topic"));
    Verdict<T> verdict = judge.judge(record.key(), record.value(), origin);
    context.forward(record.withKey(verdict.id()).withValue(verdict));
  }
}
