package org.millrace.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.cli.CommandRun;
import org.millrace.runtime.testing.SharedTestData;

/** {@code millrace inspect} on local files: no Kafka, the clean stage's extraction and filters. */
public class InspectCommandTest {

  private static final String PROSE =
      "The river that turns the mill has run through the valley for as long as anyone can"
          + " remember. In spring it rises with the melting snow, and the miller opens every gate"
          + " to let the water through.\n\n"
          + "Most of the year the work is quiet and steady. The wheel turns, the stones grind, and"
          + " the flour is carried to the town in carts that leave before dawn.\n\n"
          + "Visitors often ask how old the building is. Nobody knows for certain, but the oldest"
          + " beams were cut from oaks that grew when the town had only a church and a well.";

  @TempDir Path folder;

  @Test
  void printsEveryFiltersVerdictAndTheStagesDecision() throws Exception {
    Files.writeString(folder.resolve("a-prose.txt"), PROSE);
    Files.writeString(folder.resolve("b-short.txt"), "Too short to keep, and it says so.");
    Files.writeString(
        folder.resolve("c-page.html"),
        "<html lang=en><head><title>Mill</title></head><body><nav><a href=/>Home</a></nav>"
            + PROSE.replace("\n\n", "</p><p>").transform(p -> "<p>" + p + "</p>")
            + "<script>track()</script></body></html>");

    CommandRun run = CommandRun.of("inspect", folder.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("gopher_quality     DROP  gopher_too_few_words (8 against 50)")
        .contains("=> DROPPED by gopher_quality (gopher_too_few_words)")
        .contains("title \"Mill\"")
        .contains("words=")
        .contains("3 documents:")
        .containsPattern("2\\s+kept")
        .containsPattern("1\\s+dropped by gopher_quality: gopher_too_few_words");
  }

  @Test
  void thresholdsAreSetLikeAnyKeyAndJsonListsEverySignal() throws Exception {
    Files.writeString(folder.resolve("short.txt"), "Too short to keep, and it says so.");

    CommandRun run =
        CommandRun.of(
            "inspect",
            folder.toString(),
            "--json",
            "--set",
            "filters.chain=gopher_quality,fineweb_quality",
            "--set",
            "filters.gopher.quality.min.words=5");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> documents = new ArrayList<>();
    for (String line : run.out().strip().split("\n")) {
      documents.add(new ObjectMapper().readTree(line));
    }
    JsonNode document = documents.get(0);
    assertThat(documents).hasSize(1);
    assertThat(document.get("filters").get("gopher_quality").get("verdict").asText())
        .as("8 words pass a minimum of 5")
        .isEqualTo("keep");
    assertThat(document.get("signals").get("gopher_quality.words").asDouble()).isEqualTo(8);
    assertThat(document.get("signals").has("fineweb_quality.line_punctuation_ratio")).isTrue();
    assertThat(document.get("verdict").asText()).isIn("kept", "dropped");
  }

  @Test
  void readsWarcFilesAsTheFeederDoes() {
    Path wet = SharedTestData.warc("whirlwind.warc.wet.gz");

    CommandRun run = CommandRun.of("inspect", wet.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    // the WET sample holds one conversion record: the Aragonese Wikipedia page "Escopete"
    assertThat(run.out())
        .contains("== https://an.wikipedia.org/wiki/Escopete")
        .contains("whirlwind.warc.wet.gz@")
        .contains("language           DROP  language_not_allowed")
        .contains("1 documents:");
  }

  @Test
  void anUnknownFilterParameterIsAnErrorNamingIt() throws Exception {
    Files.writeString(folder.resolve("short.txt"), "Short.");
    CommandRun run =
        CommandRun.of("inspect", folder.toString(), "--set", "filters.gopher.quality.min.wrods=5");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("filters.gopher.quality.min.wrods");
  }
}
