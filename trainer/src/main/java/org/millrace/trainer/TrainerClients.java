package org.millrace.trainer;

import java.io.IOException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.Topics;
import org.millrace.tokenizer.Tokenizer;

/**
 * Builds a {@link ContinuousTrainer} with its own Kafka consumer and producer from the
 * configuration.
 */
public final class TrainerClients {

  private TrainerClients() {}

  public static ContinuousTrainer connect(MillraceConfig config, Tokenizer tokenizer)
      throws IOException {
    TrainerSettings settings = TrainerSettings.of(config, tokenizer.vocabularySize());
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            KafkaClientProperties.consumer(config, settings.consumerGroup(), "millrace-trainer"));
    KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaClientProperties.producer(config, "millrace-trainer"));
    try {
      return new ContinuousTrainer(settings, tokenizer, Topics.of(config), consumer, producer);
    } catch (IOException | RuntimeException e) {
      consumer.close();
      producer.close();
      throw e;
    }
  }
}
