package org.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.KafkaBrokerExtension;
import org.millrace.runtime.testing.TopicRecords;
import org.millrace.runtime.topics.Topics;

/**
 * {@code millrace feed} as a process of its own, killed with SIGKILL in the middle of its input
 * three times and started again each time: a read_committed consumer of docs.raw sees every record
 * of the input exactly once, although the killed processes left records of open transactions that a
 * read_uncommitted consumer sees a second time.
 */
public class FeedKillIT {

  private static final int DOCUMENTS = 30_000;
  private static final int KILLS = 3;

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  @TempDir Path corpus;

  @Test
  void aFeedKilledAgainAndAgainPublishesEveryRecordOnce() throws Exception {
    MillraceConfig config = kafka.pipeline("killed", Map.of());
    Topics topics = Topics.of(config);
    Path file = corpus.resolve("lines.jsonl");
    Files.write(
        file,
        IntStream.range(0, DOCUMENTS)
            .mapToObj(i -> "{\"id\": \"doc-" + i + "\", \"text\": \"Line " + i + " of the feed.\"}")
            .toList());
    long seed = System.nanoTime();
    System.err.println("FeedKillIT: kill schedule seed " + seed);
    Random random = new Random(seed);

    try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
      for (int kill = 0; kill < KILLS; kill++) {
        long before = sentSoFar(admin, topics);
        long killAfter = 1_000 + random.nextInt(3_000);
        Process feed = feed(file, "feed-" + kill);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (sentSoFar(admin, topics) < before + killAfter) {
          assertThat(feed.isAlive()).as("feed %d runs; see its log", kill).isTrue();
          assertThat(System.nanoTime())
              .as("feed %d sends within 2 minutes", kill)
              .isLessThan(deadline);
          Thread.sleep(20);
        }
        feed.destroyForcibly().waitFor();
        System.err.printf(
            "FeedKillIT: killed feed %d after %,d records sent in all%n",
            kill, sentSoFar(admin, topics));
      }
    }
    Process last = feed(file, "feed-last");
    assertThat(last.waitFor(3, TimeUnit.MINUTES)).as("the last feed ends").isTrue();
    assertThat(last.exitValue()).isZero();

    List<String> ids =
        kafka.records(topics.raw()).stream()
            .map(record -> new String(record.key(), StandardCharsets.UTF_8))
            .toList();
    List<String> expected = new ArrayList<>();
    IntStream.range(0, DOCUMENTS).forEach(i -> expected.add("doc-" + i));
    assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    assertThat(uncommitted(topics))
        .as("the kills left records of open transactions, aborted since: what would be copies")
        .hasSizeGreaterThan(DOCUMENTS);
  }

  /** Records of docs.raw sent so far, committed or not: its high watermarks, markers included. */
  private static long sentSoFar(Admin admin, Topics topics) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (var partition :
        admin
            .describeTopics(List.of(topics.raw()))
            .allTopicNames()
            .get()
            .get(topics.raw())
            .partitions()) {
      latest.put(new TopicPartition(topics.raw(), partition.partition()), OffsetSpec.latest());
    }
    return admin.listOffsets(latest).all().get().values().stream()
        .mapToLong(ListOffsetsResultInfo::offset)
        .sum();
  }

  private static List<ConsumerRecord<byte[], byte[]>> uncommitted(Topics topics) {
    return TopicRecords.readAll(kafka.bootstrapServers(), topics.raw(), "read_uncommitted");
  }

  private static Process feed(Path file, String name) throws Exception {
    Map<String, String> settings = kafka.settings();
    settings.put(MillraceConfig.TOPICS_PREFIX, "killed.");
    settings.put(MillraceConfig.DATA_DIR, kafka.dataDir().resolve("killed").toString());
    return ChildJvm.millrace(
        settings, kafka.dataDir().resolve(name + ".log"), "feed", file.toString());
  }
}
