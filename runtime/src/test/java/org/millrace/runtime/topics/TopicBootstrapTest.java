package org.millrace.runtime.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.KafkaBrokerExtension;

class TopicBootstrapTest {

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  @Test
  void createsEveryTopicOnceWithItsPartitionsAndConfigs() throws Exception {
    MillraceConfig config =
        kafka.config(
            Map.of(
                MillraceConfig.TOPICS_PREFIX, "p.",
                MillraceConfig.TOPICS_PARTITIONS, "3",
                MillraceConfig.TOPICS_RETENTION_MS, "3600000"));
    Topics topics = Topics.of(config);

    try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
      List<String> created =
          TopicBootstrap.ensureTopics(admin, TopicBootstrap.specifications(config));
      List<String> createdAgain =
          TopicBootstrap.ensureTopics(admin, TopicBootstrap.specifications(config));

      assertThat(created).containsExactlyInAnyOrderElementsOf(topics.all());
      assertThat(createdAgain).isEmpty();
      var descriptions = admin.describeTopics(topics.all()).allTopicNames().get();
      assertThat(descriptions.get("p.docs.raw").partitions()).hasSize(3);
      assertThat(descriptions.get("p.trainer.progress").partitions()).hasSize(1);
      assertThat(descriptions.get("p.feed.progress").partitions()).hasSize(1);
      assertThat(config(admin, "p.feed.progress").get("cleanup.policy").value())
          .isEqualTo("compact");

      Config raw = config(admin, "p.docs.raw");
      assertThat(raw.get("retention.ms").value()).isEqualTo("3600000");
      assertThat(raw.get("cleanup.policy").value()).isEqualTo("delete");
      assertThat(raw.get("compression.type").value()).isEqualTo("zstd");
      assertThat(raw.get("max.message.bytes").value()).isEqualTo(String.valueOf(32 * 1024 * 1024));
      assertThat(config(admin, "p.tokens").get("retention.ms").value()).isEqualTo("-1");
    }
  }

  private static Config config(Admin admin, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get().get(resource);
  }
}
