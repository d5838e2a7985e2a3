package org.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Kafka client that Millrace's code creates takes its properties from {@code
 * KafkaClientProperties}, the one place that applies the user's {@code kafka.*} settings (security
 * among them): a client built from properties of its own would not log in to a secured cluster.
 * This reads the main sources of every module and checks each client's construction.
 */
class KafkaClientPropertiesUseTest {

  private static final Path ROOT = Path.of("..");
  private static final List<String> MODULES =
      List.of("runtime", "producers", "stream-processors", "trainer", "cli", "bench");

  private static final Pattern CLIENT =
      Pattern.compile(
          "new KafkaProducer<[^>]*>\\(|new KafkaConsumer<[^>]*>\\(|Admin\\.create\\(|new"
              + " KafkaStreams\\(");

  /** Constructions that take their properties from a caller, with who that caller is. */
  private static final Map<String, String> FROM_CALLERS =
      Map.of(
          "StreamsStage.java", "Stage.start passes KafkaClientProperties.streams",
          "EmbeddedKafkaBroker.java",
              "the broker's own start-up probe, with the broker's credentials (SaslSslSecurity)");

  @Test
  void everyClientTakesItsPropertiesFromKafkaClientProperties() throws IOException {
    List<String> clients = new ArrayList<>();
    List<String> bypassing = new ArrayList<>();
    for (String module : MODULES) {
      try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          String source = Files.readString(file);
          Matcher client = CLIENT.matcher(source);
          while (client.find()) {
            String where = file.getFileName() + ":" + lineOf(source, client.start());
            clients.add(where);
            String arguments = argumentsAt(source, client.end());
            if (!FROM_CALLERS.containsKey(file.getFileName().toString())
                && !fromKafkaClientProperties(source, arguments)) {
              bypassing.add(where + " " + arguments);
            }
          }
        }
      }
    }

    assertThat(clients)
        .as("the scan finds the clients (a renamed folder would find none)")
        .hasSizeGreaterThan(10);
    assertThat(bypassing).as("clients built without KafkaClientProperties").isEmpty();
  }

  /**
   * The arguments name KafkaClientProperties, or a variable of this file that was assigned from it.
   */
  private static boolean fromKafkaClientProperties(String source, String arguments) {
    if (arguments.contains("KafkaClientProperties.")) {
      return true;
    }
    Matcher identifier = Pattern.compile("\\b[a-z][A-Za-z0-9]*\\b").matcher(arguments);
    while (identifier.find()) {
      Pattern assigned =
          Pattern.compile("\\b" + identifier.group() + "\\s*=\\s*KafkaClientProperties\\.");
      if (assigned.matcher(source).find()) {
        return true;
      }
    }
    return false;
  }

  /** The text between the opening parenthesis at {@code start - 1} and its closing one. */
  private static String argumentsAt(String source, int start) {
    int depth = 1;
    int i = start;
    while (depth > 0 && i < source.length()) {
      char c = source.charAt(i++);
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    }
    return source.substring(start, i - 1).replaceAll("\\s+", " ");
  }

  private static int lineOf(String source, int index) {
    return (int) source.substring(0, index).chars().filter(c -> c == '\n').count() + 1;
  }
}
