package org.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

public class MillraceCommandTest {

  @Test
  void everySubcommandHasHelp() {
    CommandLine top = Millrace.commandLine();
    assertThat(top.getSubcommands().keySet())
        .contains("up", "demo", "feed", "clean", "dedup", "tokenize", "train", "status", "topics");
    for (String subcommand : top.getSubcommands().keySet()) {
      if (subcommand.equals("help")) {
        continue;
      }
      CommandRun help = CommandRun.of(subcommand, "--help");
      assertThat(help.exitCode()).as(subcommand + " --help").isZero();
      assertThat(help.out())
          .as(subcommand + " --help")
          .contains("Usage: millrace " + subcommand)
          .contains("--config");
    }
  }

  @Test
  void statusExitsWithTwoAndSaysSoWhenKafkaCannotBeReached() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    CommandRun status = CommandRun.of("status", "--set", "bootstrap.servers=127.0.0.1:" + closedPort);

    assertThat(status.exitCode()).isEqualTo(Millrace.EXIT_UNREACHABLE);
    assertThat(status.err()).contains("cannot reach Kafka at 127.0.0.1:" + closedPort);
    assertThat(status.out()).isEmpty();
  }

  @Test
  void aBadSettingIsAClearErrorNotAStackTrace() {
    CommandRun status = CommandRun.of("status", "--set", "topics.partitions=zero");

    assertThat(status.exitCode()).isEqualTo(1);
    assertThat(status.err())
        .contains("topics.partitions")
        .contains("command line")
        .doesNotContain("\tat ");
  }

  @Test
  void feedRefusesAPathThatDoesNotExistBeforeItContactsKafka() {
    CommandRun feed = CommandRun.of("feed", "/nonexistent/corpus", "--set", "bootstrap.servers=127.0.0.1:1");

    assertThat(feed.exitCode()).isEqualTo(1);
    assertThat(feed.err()).contains("no such file or directory: /nonexistent/corpus");
  }
}
