package org.millrace.runtime.lag;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer lag of Millrace's stages as Prometheus gauges, per group, topic and partition: {@code
 * millrace_consumer_lag_records} and {@code millrace_consumer_lag_seconds} (the age of the oldest
 * unconsumed record). Kafka's own client metrics give lag in records only, and only from inside the
 * consumer; these are read from the cluster, as {@code millrace status} does, every {@value
 * #REFRESH_SECONDS} seconds on one daemon thread.
 */
public final class LagMetrics implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LagMetrics.class);
  static final long REFRESH_SECONDS = 15;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /**
   * A stage's consumer group, the topic it reads and, for a consumer that commits less often than
   * it reads (the trainer, at checkpoints), where it has read to.
   */
  public record Watched(
      String group, String topic, Supplier<Map<TopicPartition, Long>> readPositions) {

    /** A group whose committed offsets are where it has read to (the Streams stages). */
    public Watched(String group, String topic) {
      this(group, topic, Map::of);
    }
  }

  private final MeterRegistry registry;
  private final List<Watched> watched;
  private final Admin admin;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ScheduledExecutorService refresher;
  private final Map<String, GroupLag.PartitionLag> latest = new ConcurrentHashMap<>();
  private volatile boolean warned;

  private LagMetrics(MillraceConfig config, MeterRegistry registry, List<Watched> watched) {
    this.registry = registry;
    this.watched = List.copyOf(watched);
    this.admin = Admin.create(KafkaClientProperties.admin(config));
    Properties properties = KafkaClientProperties.groupLessConsumer(config, "millrace-lag");
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
    this.consumer = new KafkaConsumer<>(properties);
    this.refresher =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "millrace-lag-metrics");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Registers the gauges and starts refreshing them. */
  public static LagMetrics start(
      MillraceConfig config, MeterRegistry registry, List<Watched> watched) {
    LagMetrics metrics = new LagMetrics(config, registry, watched);
    metrics.refresher.scheduleWithFixedDelay(
        metrics::refresh, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
    return metrics;
  }

  private void refresh() {
    for (Watched group : watched) {
      try {
        GroupLag lag =
            GroupLag.read(
                admin, consumer, group.group(), group.topic(), group.readPositions(), TIMEOUT);
        for (GroupLag.PartitionLag partition : lag.partitions()) {
          String key = group.group() + "/" + group.topic() + "/" + partition.partition();
          if (latest.put(key, partition) == null) {
            register(group, partition.partition(), key);
          }
        }
      } catch (InterruptedException | org.apache.kafka.common.errors.InterruptException e) {
        Thread.currentThread().interrupt();
        return; // closing
      } catch (Exception e) {
        // The gauges keep their last values; lag metrics must never stop a stage.
        if (!warned) {
          warned = true;
          log.warn("Cannot read the lag of {} yet: {}", group.group(), e.toString());
        }
      }
    }
  }

  private void register(Watched group, int partition, String key) {
    String[] tags = {
      "group", group.group(), "topic", group.topic(), "partition", Integer.toString(partition)
    };
    Gauge.builder("millrace.consumer.lag.records", latest, map -> map.get(key).lag())
        .description("Offsets of the topic beyond where the group has read to")
        .tags(tags)
        .register(registry);
    Gauge.builder(
            "millrace.consumer.lag.seconds",
            latest,
            map -> map.get(key).lagSeconds(System.currentTimeMillis()))
        .description("Age of the oldest record the group has not consumed; 0 without lag")
        .tags(tags)
        .register(registry);
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    try {
      refresher.awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(Duration.ofSeconds(1));
    admin.close(Duration.ofSeconds(1));
  }
}
