package org.millrace.producers.crawl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.RejectedDocument;

/**
 * Publishes a crawl's documents to docs.raw and its failures to docs.rejected, keyed by document
 * id, with an idempotent producer that keeps one request in flight ({@link
 * KafkaClientProperties#orderedProducer}): a crawl's rate is bounded by its politeness, not by
 * Kafka.
 */
public final class KafkaCrawlSink implements CrawlSink {

  private final Producer<byte[], byte[]> producer;
  private final Topics topics;
  private final AvroSerde<RawDocument> rawSerde = AvroSerde.rawDocument();
  private final AvroSerde<RejectedDocument> rejectedSerde = AvroSerde.rejectedDocument();
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  public KafkaCrawlSink(MillraceConfig config) {
    this.producer =
        new KafkaProducer<>(KafkaClientProperties.orderedProducer(config, "millrace-crawler"));
    this.topics = Topics.of(config);
  }

  @Override
  public void document(RawDocument document, Runnable acknowledged) {
    send(topics.raw(), document.getId(), rawSerde.encode(document), acknowledged);
  }

  @Override
  public void rejection(RejectedDocument rejection, Runnable acknowledged) {
    send(topics.rejected(), rejection.getId(), rejectedSerde.encode(rejection), acknowledged);
  }

  private void send(String topic, String id, byte[] value, Runnable acknowledged) {
    producer.send(
        new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), value),
        (metadata, exception) -> {
          if (exception != null) {
            failure.compareAndSet(null, exception);
          } else {
            acknowledged.run();
          }
        });
  }

  /** Whether Kafka has refused a record: the crawl should stop. */
  public boolean failed() {
    return failure.get() != null;
  }

  @Override
  public void flush() throws IOException {
    producer.flush();
    Exception refused = failure.get();
    if (refused != null) {
      throw new IOException("Kafka refused records: " + refused.getMessage(), refused);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
