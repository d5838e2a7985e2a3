package org.millrace.cli.commands;

import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.millrace.cli.Millrace;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.TopicBootstrap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code millrace topics}. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    header = "Create the topics (idempotent) and list them.",
    description =
        "Create every Millrace topic that does not exist yet, with its partitions and configs, and"
            + " list them.")
public final class TopicsCommand implements Callable<Integer> {

  @ParentCommand Millrace millrace;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    MillraceConfig config = millrace.config();
    try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
      var created = TopicBootstrap.ensureTopics(admin, TopicBootstrap.specifications(config));
      for (NewTopic topic : TopicBootstrap.specifications(config)) {
        spec.commandLine()
            .getOut()
            .printf(
                "%-24s %3d partitions  %s%s%n",
                topic.name(),
                topic.numPartitions(),
                topic.configs(),
                created.contains(topic.name()) ? "  (created)" : "");
      }
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
