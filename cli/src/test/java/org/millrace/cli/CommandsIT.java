package org.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millrace.cli.commands.StatusCommand;
import org.millrace.runtime.testing.KafkaBrokerExtension;

/** The commands the docker compose services run, against a real broker, as a user types them. */
public class CommandsIT {

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  /** The command, pointed at the test's broker and data folder (not the module's ./data). */
  private static CommandRun millrace(String... args) {
    List<String> command = new ArrayList<>(List.of(args));
    kafka
        .settings()
        .forEach(
            (key, value) -> {
              command.add("--set");
              command.add(key + "=" + value);
            });
    return CommandRun.of(command.toArray(String[]::new));
  }

  @Test
  void topicsThenFeedThenStatus() throws Exception {
    CommandRun topics = millrace("topics");
    assertThat(topics.exitCode()).isZero();
    assertThat(topics.out())
        .contains("docs.raw")
        .contains("trainer.progress")
        .contains("(created)");
    assertThat(millrace("topics").out()).doesNotContain("(created)");

    Path corpus = kafka.dataDir().resolve("corpus.jsonl");
    Files.writeString(corpus, "{\"text\": \"one\"}\n{\"text\": \"two\"}\nnot json\n");
    CommandRun feed = millrace("feed", corpus.toString());
    assertThat(feed.exitCode()).isZero();

    CommandRun status = millrace("status");
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("millrace-clean")
        .contains("NotStarted")
        // two documents, and the commit markers of the feed's transactions (one a partition)
        .containsPattern("docs\\.raw\\s+4\\s+[3-6]\\b");

    CommandRun watched = millrace("status", "--watch", "1", "--count", "2");
    assertThat(watched.exitCode()).as(watched.err()).isZero();
    assertThat(watched.out().split(java.util.regex.Pattern.quote(StatusCommand.CLEAR_SCREEN), -1))
        .as("two reports, each after clearing the screen")
        .hasSize(3)
        .allSatisfy(part -> assertThat(part.isEmpty() || part.contains("millrace-clean")).isTrue());
  }
}
