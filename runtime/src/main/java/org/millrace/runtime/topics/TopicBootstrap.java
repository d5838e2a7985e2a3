package org.millrace.runtime.topics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.millrace.runtime.config.MillraceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates every Millrace topic with explicit partitions and configs, idempotently: a topic that
 * exists already is left as it is (and a different partition count is reported, since Kafka cannot
 * shrink a topic and growing it would move keys between partitions).
 */
public final class TopicBootstrap {

  private static final Logger log = LoggerFactory.getLogger(TopicBootstrap.class);
  private static final long READY_TIMEOUT_MS = 30_000;

  private TopicBootstrap() {}

  /** The topics Millrace needs, with their configurations, for this configuration. */
  public static List<NewTopic> specifications(MillraceConfig config) {
    Topics topics = Topics.of(config);
    int partitions = config.getInt(MillraceConfig.TOPICS_PARTITIONS);
    short replication = config.getShort(MillraceConfig.TOPICS_REPLICATION_FACTOR);
    String documentRetention = String.valueOf(config.getLong(MillraceConfig.TOPICS_RETENTION_MS));
    String tokensRetention =
        String.valueOf(config.getLong(MillraceConfig.TOPICS_TOKENS_RETENTION_MS));

    List<NewTopic> specifications = new ArrayList<>();
    for (String documents :
        List.of(
            topics.raw(),
            topics.clean(),
            topics.unique(),
            topics.duplicates(),
            topics.rejected())) {
      specifications.add(topic(config, documents, partitions, replication, documentRetention));
    }
    specifications.add(topic(config, topics.tokens(), partitions, replication, tokensRetention));
    // One partition: progress records are read in the order the trainer wrote them.
    specifications.add(topic(config, topics.progress(), 1, replication, tokensRetention));
    // The feeder's progress: one record per input file, of which only the latest counts. Compacted,
    // never deleted by age: losing it would make a resumed feed publish its files again.
    specifications.add(
        topic(
            config,
            topics.feedProgress(),
            1,
            replication,
            TopicConfig.CLEANUP_POLICY_COMPACT,
            "-1"));
    // One partition: the order of the trainers' contributions in it decides each DiLoCo round, the
    // same for every trainer (docs/operations.md). Kept as long as the tokens, from which a worker
    // that restarts catches up on the rounds it missed.
    specifications.add(topic(config, topics.trainerSync(), 1, replication, tokensRetention));
    return specifications;
  }

  private static NewTopic topic(
      MillraceConfig config, String name, int partitions, short replication, String retentionMs) {
    return topic(
        config, name, partitions, replication, TopicConfig.CLEANUP_POLICY_DELETE, retentionMs);
  }

  private static NewTopic topic(
      MillraceConfig config,
      String name,
      int partitions,
      short replication,
      String cleanupPolicy,
      String retentionMs) {
    int minInsyncReplicas = replication >= 3 ? 2 : 1;
    return new NewTopic(name, partitions, replication)
        .configs(
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy,
                TopicConfig.RETENTION_MS_CONFIG, retentionMs,
                TopicConfig.COMPRESSION_TYPE_CONFIG,
                    config.getString(MillraceConfig.TOPICS_COMPRESSION_TYPE),
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    String.valueOf(config.getInt(MillraceConfig.TOPICS_MAX_MESSAGE_BYTES)),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minInsyncReplicas)));
  }

  /**
   * Creates the topics that do not exist yet. On a cluster with ACLs a principal sees only the
   * topics it may describe and creates only those it may create: a stage's principal sees the
   * topics it uses, which an administrator created ({@code millrace topics}); the others it is
   * refused are left alone, with a line in the log, and the stage's own clients say so if it needed
   * them.
   *
   * @return the names of the topics this call created
   */
  public static List<String> ensureTopics(Admin admin, List<NewTopic> specifications)
      throws InterruptedException {
    Set<String> existing = get(admin.listTopics().names());
    List<NewTopic> missing =
        specifications.stream().filter(topic -> !existing.contains(topic.name())).toList();
    List<String> created = new ArrayList<>();
    Set<String> refused = new TreeSet<>();
    for (Map.Entry<String, KafkaFuture<Void>> result :
        admin.createTopics(missing).values().entrySet()) {
      try {
        result.getValue().get();
        created.add(result.getKey());
      } catch (ExecutionException e) {
        if (e.getCause() instanceof TopicAuthorizationException) {
          refused.add(result.getKey());
          continue;
        }
        // Another process created it between our listing and our request: that is what we wanted.
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "cannot create topic " + result.getKey() + ": " + e.getCause().getMessage(),
              e.getCause());
        }
      }
    }
    if (!refused.isEmpty()) {
      log.info(
          "Not allowed to see or create topics {} (ACLs); they are left to an administrator",
          refused);
    }
    reportPartitionMismatches(
        admin, specifications.stream().filter(topic -> !refused.contains(topic.name())).toList());
    if (!created.isEmpty()) {
      log.info("Created topics {}", created);
    }
    return created;
  }

  private static void reportPartitionMismatches(Admin admin, List<NewTopic> specifications)
      throws InterruptedException {
    List<String> names = specifications.stream().map(NewTopic::name).toList();
    Map<String, TopicDescription> descriptions = describeOnceLed(admin, names);
    awaitPartitionsServed(admin, descriptions);
    for (NewTopic specification : specifications) {
      int actual =
          Optional.ofNullable(descriptions.get(specification.name()))
              .map(d -> d.partitions().size())
              .orElse(-1);
      if (actual != specification.numPartitions()) {
        log.warn(
            "Topic {} has {} partitions, the configuration asks for {}; it is used as it is",
            specification.name(),
            actual,
            specification.numPartitions());
      }
    }
  }

  /**
   * Describes the topics once every partition has a leader, up to {@value #READY_TIMEOUT_MS} ms:
   * right after creation the metadata may not name one yet.
   */
  private static Map<String, TopicDescription> describeOnceLed(Admin admin, List<String> names)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
    while (true) {
      try {
        Map<String, TopicDescription> descriptions =
            admin.describeTopics(names).allTopicNames().get();
        boolean led =
            descriptions.values().stream()
                .flatMap(description -> description.partitions().stream())
                .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
        if (led || System.currentTimeMillis() > deadline) {
          return descriptions;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.currentTimeMillis() > deadline) {
          throw new IllegalStateException(
              "Kafka admin request failed: " + e.getCause().getMessage(), e.getCause());
        }
      }
      Thread.sleep(100);
    }
  }

  /**
   * Waits until the leader of every partition answers for it, not only the metadata names a leader.
   * A broker applies a new topic to its metadata cache before it opens the partition's log; in
   * between it answers produce requests with NOT_LEADER_OR_FOLLOWER. Before Kafka 4.5 (KAFKA-15591)
   * this loses data: an idempotent producer's first request to the partition is refused that way,
   * its second, sent while the first waits for a retry, is accepted (a broker without state for the
   * producer took any first sequence number), and the first then fails with
   * OUT_OF_ORDER_SEQUENCE_NUMBER at every retry until {@code delivery.timeout.ms} expires it. A
   * ListOffsets request is answered by the same partition lookup as a produce request, so once it
   * succeeds on every partition no produce request of ours can fall in that window. The admin
   * client retries NOT_LEADER_OR_FOLLOWER and UNKNOWN_TOPIC_OR_PARTITION by itself.
   */
  private static void awaitPartitionsServed(Admin admin, Map<String, TopicDescription> descriptions)
      throws InterruptedException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (TopicDescription description : descriptions.values()) {
      for (TopicPartitionInfo partition : description.partitions()) {
        latest.put(
            new TopicPartition(description.name(), partition.partition()), OffsetSpec.latest());
      }
    }
    get(
        admin
            .listOffsets(latest, new ListOffsetsOptions().timeoutMs((int) READY_TIMEOUT_MS))
            .all());
  }

  private static <T> T get(KafkaFuture<T> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Kafka admin request failed: " + e.getCause().getMessage(), e.getCause());
    }
  }
}
