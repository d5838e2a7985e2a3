package org.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.millrace.cli.HostileRecords.utf8;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millrace.cli.HostileRecords.Hostile;
import org.millrace.cli.local.LocalPipeline;
import org.millrace.processors.clean.CleanKeys;
import org.millrace.processors.tokenize.TokenizeKeys;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.KafkaBrokerExtension;
import org.millrace.runtime.testing.PseudoText;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.RejectedDocument;
import org.millrace.schemas.TokenizedDocument;
import org.millrace.schemas.TrainerProgress;
import org.millrace.trainer.TrainerKeys;

/**
 * The hostile-input battery (issue 16): every kind of bad record of {@link HostileRecords}, sent
 * with a plain Kafka producer (not Millrace's) straight into docs.raw, interleaved with good
 * documents, against a running pipeline with its trainer. Each bad record gives exactly one
 * rejection with a reason it may have; no stage stops; every good document reaches the trainer.
 */
public class HostileInputIT {

  /** The broker's limit on a docs.raw record (topics.max.message.bytes), small for a quick test. */
  private static final int BROKER_LIMIT = 2 * 1024 * 1024;

  private static final int DOCUMENTS_MAX_BYTES = 1024 * 1024;
  private static final int GOOD_DOCUMENTS = 30;

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();
  private static LocalPipeline pipeline;
  private static Topics topics;
  private static final List<Hostile> battery =
      HostileRecords.all(DOCUMENTS_MAX_BYTES, BROKER_LIMIT);
  private static final Map<String, Hostile> hostileAt = new HashMap<>();
  private static final Set<String> goodIds = new HashSet<>();
  private static Throwable aboveTheLimit;

  @BeforeAll
  static void sendTheBatteryToARunningPipeline() throws Exception {
    MillraceConfig config =
        kafka.config(
            SmallPipeline.settings(
                Map.of(
                    MillraceConfig.TOPICS_MAX_MESSAGE_BYTES, String.valueOf(BROKER_LIMIT),
                    MillraceConfig.DOCUMENTS_MAX_BYTES, String.valueOf(DOCUMENTS_MAX_BYTES),
                    MillraceConfig.METRICS_PORT, "-1",
                    // a loaded machine can take over the default second on a good page
                    CleanKeys.EXTRACTION_TIMEOUT_MS, "10000",
                    TokenizeKeys.VALIDATION_FRACTION, "0",
                    TrainerKeys.WARMUP_STEPS, "2")));
    topics = Topics.of(config);
    pipeline = LocalPipeline.start(config, true);

    try (KafkaProducer<byte[], byte[]> producer = thirdPartyProducer()) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (int i = 0; i < Math.max(GOOD_DOCUMENTS, battery.size()); i++) {
        if (i < GOOD_DOCUMENTS) {
          producer.send(new ProducerRecord<>(topics.raw(), null, goodDocument(i)));
        }
        if (i < battery.size()) {
          Hostile hostile = battery.get(i);
          sent.add(
              producer.send(
                  new ProducerRecord<>(
                      topics.raw(), null, hostile.key(), hostile.value(), hostile.headers())));
        }
      }
      for (int i = 0; i < sent.size(); i++) {
        RecordMetadata metadata = sent.get(i).get();
        hostileAt.put(metadata.partition() + "/" + metadata.offset(), battery.get(i));
      }
      try {
        producer
            .send(
                new ProducerRecord<>(
                    topics.raw(), utf8("above-the-limit"), new byte[BROKER_LIMIT + 1]))
            .get();
      } catch (ExecutionException e) {
        aboveTheLimit = e.getCause();
      }
    }
    awaitEveryRecordAnswered();
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  /** A producer as any Kafka user has one: byte arrays, none of Millrace's settings. */
  private static KafkaProducer<byte[], byte[]> thirdPartyProducer() {
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    // the broker, not the client, is the one to refuse a record above its limit
    properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * BROKER_LIMIT);
    properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 16L * BROKER_LIMIT);
    return new KafkaProducer<>(properties);
  }

  /**
   * Good documents in the forms docs.raw accepts: JSON with text or HTML, with and without a URL or
   * a byte-order mark, and Avro.
   */
  private static byte[] goodDocument(int i) {
    String id = "good-" + i;
    goodIds.add(id);
    String text = PseudoText.words(80, 1000 + i);
    return switch (i % 5) {
      case 0 ->
          utf8(
              "{\"id\": \""
                  + id
                  + "\", \"url\": \"https://example.org/"
                  + i
                  + "\", \"text\": \""
                  + text
                  + "\"}");
      case 1 -> utf8("\uFEFF{\"id\": \"" + id + "\", \"text\": \"" + text + "\"}");
      case 2 ->
          utf8(
              "{\"id\": \""
                  + id
                  + "\", \"url\": \"HTTP://Example.org/"
                  + i
                  + "\", \"html\":"
                  + " \"<html><body><p>"
                  + text
                  + "</p></body></html>\"}");
      case 3 ->
          AvroSerde.rawDocument()
              .encode(
                  RawDocument.newBuilder()
                      .setId(id)
                      .setUrl("https://example.org/avro/" + i)
                      .setSource("hostile-test")
                      .setContentType("text/plain; charset=UTF-8")
                      .setBody(ByteBuffer.wrap(utf8(text)))
                      .setFetchedAt(Instant.parse("2026-12-03T00:00:00Z"))
                      .setMetadata(Map.of())
                      .build());
      default -> utf8("{\"id\": \"" + id + "\", \"text\": \"" + text + "\", \"lang\": 7}");
    };
  }

  /** Until every raw record is in tokens or rejected and the trainer has read the tokens. */
  private static void awaitEveryRecordAnswered() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline
        && (rejectedFromRaw().size() < battery.size()
            || !tokenizedIds().containsAll(goodIds)
            || !trainerReadEveryTokenRecord())) {
      Thread.sleep(1000);
    }
  }

  private static List<RejectedDocument> rejectedFromRaw() {
    return kafka.values(topics.rejected(), AvroSerde.rejectedDocument()).stream()
        .filter(r -> r.getOriginTopic().equals(topics.raw()))
        .toList();
  }

  private static Set<String> tokenizedIds() {
    Set<String> ids = new HashSet<>();
    kafka.values(topics.tokens(), AvroSerde.tokenizedDocument()).stream()
        .map(TokenizedDocument::getDocumentId)
        .forEach(ids::add);
    return ids;
  }

  private static boolean trainerReadEveryTokenRecord() {
    List<TrainerProgress> progress = kafka.values(topics.progress(), AvroSerde.trainerProgress());
    if (progress.isEmpty()) {
      return false;
    }
    Map<Integer, Long> position = new HashMap<>();
    progress
        .get(progress.size() - 1)
        .getPositions()
        .forEach(p -> position.put(p.getPartition(), p.getNextOffset()));
    for (ConsumerRecord<byte[], byte[]> record : kafka.records(topics.tokens())) {
      if (position.getOrDefault(record.partition(), 0L) <= record.offset()) {
        return false;
      }
    }
    return true;
  }

  @Test
  void theBatteryHasAtLeastTwentyFiveKinds() {
    assertThat(battery.stream().map(Hostile::kind).distinct().count()).isGreaterThanOrEqualTo(25);
  }

  @Test
  void everyBadRecordGetsExactlyOneRejectionWithItsReason() {
    Map<String, List<RejectedDocument>> byRecord = new HashMap<>();
    for (RejectedDocument rejected : rejectedFromRaw()) {
      byRecord
          .computeIfAbsent(
              rejected.getOriginPartition() + "/" + rejected.getOriginOffset(),
              at -> new ArrayList<>())
          .add(rejected);
    }
    List<String> wrong = new ArrayList<>();
    hostileAt.forEach(
        (at, hostile) -> {
          List<RejectedDocument> answers = byRecord.getOrDefault(at, List.of());
          if (answers.size() != 1) {
            wrong.add(hostile.kind() + ": " + answers.size() + " rejections");
          } else if (!hostile.reasons().contains(answers.get(0).getReason())) {
            wrong.add(
                hostile.kind()
                    + ": "
                    + answers.get(0).getReason()
                    + " ("
                    + answers.get(0).getDetail()
                    + "), expected one of "
                    + hostile.reasons());
          }
        });
    assertThat(wrong).as("bad records not answered as they should be").isEmpty();
    assertThat(byRecord.entrySet())
        .filteredOn(rejected -> !hostileAt.containsKey(rejected.getKey()))
        .as("good documents rejected")
        .isEmpty();
  }

  @Test
  void aRecordAboveTheBrokersLimitIsRefusedToItsSender() {
    assertThat(aboveTheLimit).isInstanceOf(RecordTooLargeException.class);
    assertThat(kafka.records(topics.raw())).hasSize(battery.size() + GOOD_DOCUMENTS);
  }

  @Test
  void everyStageKeepsRunningAndEveryGoodDocumentIsTrainedOn() {
    assertThat(pipeline.failure()).isEmpty();
    assertThat(tokenizedIds()).containsExactlyInAnyOrderElementsOf(goodIds);
    assertThat(trainerReadEveryTokenRecord())
        .as("the trainer's position is past every token record")
        .isTrue();
  }
}
