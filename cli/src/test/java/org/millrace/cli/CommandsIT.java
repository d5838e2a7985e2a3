package org.millrace.cli;

import org.millrace.cli.commands.StatusCommand;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.runtime.kafka.EmbeddedKafkaBroker;

/** The commands the docker compose services run, against a real broker, as a user types them. */
public class CommandsIT {

  @TempDir static Path dataDir;
  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void start() {
    broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static CommandRun millrace(String... args) {
    String[] withBroker = new String[args.length + 2];
    System.arraycopy(args, 0, withBroker, 0, args.length);
    withBroker[args.length] = "--set";
    withBroker[args.length + 1] = "bootstrap.servers=" + broker.bootstrapServers();
    return CommandRun.of(withBroker);
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

    Path corpus = dataDir.resolve("corpus.jsonl");
    Files.writeString(corpus, "{\"text\": \"one\"}\n{\"text\": \"two\"}\nnot json\n");
    CommandRun feed = millrace("feed", corpus.toString());
    assertThat(feed.exitCode()).isZero();

    CommandRun status = millrace("status");
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("millrace-clean")
        .contains("NotStarted")
        .containsPattern("docs\\.raw\\s+4\\s+2\\b");

    CommandRun watched = millrace("status", "--watch", "1", "--count", "2");
    assertThat(watched.exitCode()).as(watched.err()).isZero();
    assertThat(watched.out().split(java.util.regex.Pattern.quote(StatusCommand.CLEAR_SCREEN), -1))
        .as("two reports, each after clearing the screen")
        .hasSize(3)
        .allSatisfy(part -> assertThat(part.isEmpty() || part.contains("millrace-clean")).isTrue());
  }
}
