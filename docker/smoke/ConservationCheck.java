import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.RawDocumentJson;
import org.millrace.schemas.reject.Rejection;

/**
 * docker/smoke-test's check of DESIGN.md's conservation law on a live cluster, from the host: every
 * record of docs.raw is exactly one of a document in tokens, a record in docs.duplicates, or a
 * record in docs.rejected; nothing else is in those three, and nothing is in two of them. Reads
 * every topic to its end, read_committed, with the Millrace build's classes:
 *
 * <pre>
 * java -cp "cli/target/millrace-cli.jar:cli/target/lib/*" docker/smoke/ConservationCheck.java localhost:9092
 * </pre>
 *
 * Rejections of the feed stage are left out: the feeder sends them to docs.rejected instead of
 * docs.raw. Exits 0 when the law holds, 1 with the ids that break it.
 */
public class ConservationCheck {

  public static void main(String[] args) {
    String bootstrap = args.length > 0 ? args[0] : "localhost:9092";
    Topics topics = Topics.withPrefix(args.length > 1 ? args[1] : "");

    Map<String, Integer> raw = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll(bootstrap, topics.raw())) {
      raw.merge(rawId(r), 1, Integer::sum);
    }
    Map<String, Integer> tokenized = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll(bootstrap, topics.tokens())) {
      var document = AvroSerde.tokenizedDocument().decode(r.value());
      if (document.getChunkIndex() == 0) {
        tokenized.merge(document.getDocumentId().toString(), 1, Integer::sum);
      }
    }
    Map<String, Integer> duplicates = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll(bootstrap, topics.duplicates())) {
      duplicates.merge(
          AvroSerde.duplicateRecord().decode(r.value()).getDuplicateId().toString(),
          1,
          Integer::sum);
    }
    Map<String, Integer> rejected = new HashMap<>();
    int rejectedByFeed = 0;
    for (ConsumerRecord<byte[], byte[]> r : readAll(bootstrap, topics.rejected())) {
      var rejection = AvroSerde.rejectedDocument().decode(r.value());
      if (rejection.getStage().toString().equals("feed")) {
        rejectedByFeed++;
      } else {
        rejected.merge(rejection.getId().toString(), 1, Integer::sum);
      }
    }

    List<String> problems = new ArrayList<>();
    Map<String, List<String>> outcomes = new TreeMap<>();
    tokenized.forEach(
        (id, n) -> outcomes.computeIfAbsent(id, x -> new ArrayList<>()).add("tokens×" + n));
    duplicates.forEach(
        (id, n) -> outcomes.computeIfAbsent(id, x -> new ArrayList<>()).add("duplicate×" + n));
    rejected.forEach(
        (id, n) -> outcomes.computeIfAbsent(id, x -> new ArrayList<>()).add("rejected×" + n));
    raw.forEach(
        (id, n) -> {
          if (n != 1) {
            problems.add(id + ": " + n + " records in docs.raw");
          }
          List<String> out = outcomes.getOrDefault(id, List.of());
          if (out.size() != 1 || !out.get(0).endsWith("×1")) {
            problems.add(id + ": in docs.raw, out as " + (out.isEmpty() ? "nothing" : out));
          }
        });
    outcomes.keySet().stream()
        .filter(id -> !raw.containsKey(id))
        .forEach(id -> problems.add(id + ": " + outcomes.get(id) + " but not in docs.raw"));

    System.out.printf(
        "conservation: %d raw documents = %d tokenized + %d duplicates + %d rejected"
            + " (and %d rejected by the feeder before docs.raw)%n",
        raw.size(), tokenized.size(), duplicates.size(), rejected.size(), rejectedByFeed);
    if (!problems.isEmpty()) {
      System.out.println("conservation BROKEN for " + problems.size() + " ids, first 20:");
      problems.stream().limit(20).forEach(p -> System.out.println("  " + p));
      System.exit(1);
    }
    System.out.println("conservation holds");
  }

  /**
   * The id the clean stage gives a raw record (RawRecordDecoder): Avro's, else JSON's id, key,
   * coordinates.
   */
  private static String rawId(ConsumerRecord<byte[], byte[]> r) {
    byte[] value = r.value();
    if (value != null && AvroSerde.hasMarker(value)) {
      return AvroSerde.rawDocument().decode(value).getId().toString();
    }
    String coordinates = Rejection.coordinates(r.topic(), r.partition(), r.offset());
    String fallback =
        r.key() != null && r.key().length > 0
            ? new String(r.key(), StandardCharsets.UTF_8)
            : coordinates;
    try {
      String json = new String(value, StandardCharsets.UTF_8).strip();
      return RawDocumentJson.parse(json, fallback, "kafka:" + coordinates).getId().toString();
    } catch (Exception notJson) {
      return coordinates; // refused by the clean stage, under its coordinates
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(64 << 20));
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.currentTimeMillis() + 120_000;
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end in 2 minutes");
        }
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    return records;
  }
}
