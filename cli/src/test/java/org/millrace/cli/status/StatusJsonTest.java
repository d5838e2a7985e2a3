package org.millrace.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.millrace.cli.commands.StatusCommand;

/**
 * {@code status --json}'s field names are an interface scripts depend on: every field it prints is
 * in docs/status.md's table, and the table names no field it does not print.
 */
class StatusJsonTest {

  @Test
  void everyJsonFieldIsDocumentedAndEveryDocumentedFieldIsPrinted() throws Exception {
    StatusReport report =
        new StatusReport(
            "127.0.0.1:9092",
            1L,
            List.of(
                new StatusReport.Stage(
                    "train",
                    "millrace-trainer-default",
                    "Empty",
                    0,
                    "tokens",
                    4,
                    10,
                    0,
                    0,
                    0.0,
                    6L,
                    "OK",
                    0.0,
                    null,
                    List.of(new StatusReport.PartitionLag(0, 4L, 10, 10, 0, 0.0)))),
            List.of(new StatusReport.Topic("tokens", 1, 10)),
            new StatusReport.Trainer(
                "default",
                42,
                5f,
                2f,
                2.1f,
                40L,
                1e-3f,
                0,
                0.1,
                1.0,
                2688,
                40L,
                Instant.ofEpochMilli(1).toString(),
                Map.of()));
    JsonNode json = StatusCommand.jsonMapper().valueToTree(report);
    TreeSet<String> printed = new TreeSet<>();
    names(json, "", printed);

    String doc = Files.readString(Path.of("../docs/status.md"));
    String table = doc.substring(doc.indexOf("| field | meaning |"));
    for (String field : printed) {
      String leaf = field.substring(field.lastIndexOf('.') + 1);
      assertThat(table)
          .as("docs/status.md documents %s", field)
          .containsPattern("[`.]" + leaf + "(`|\\[\\])");
    }
    assertThat(printed)
        .contains(
            "stages[].readOffsets",
            "stages[].unsavedRecords",
            "stages[].partitions[].position",
            "trainer.updatedAt")
        .doesNotContain("trainer.positions");
  }

  private static void names(JsonNode node, String prefix, TreeSet<String> names) {
    if (node.isArray()) {
      for (JsonNode element : node) {
        names(element, prefix + "[]", names);
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String name = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
        names.add(name);
        names(field.getValue(), name, names);
      }
    }
  }
}
