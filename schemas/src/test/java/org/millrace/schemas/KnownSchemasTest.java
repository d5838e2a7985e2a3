package org.millrace.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

class KnownSchemasTest {

  private static final Path HISTORY = Path.of("src/main/resources/org/millrace/schemas/history");

  @Test
  void theIndexListsEveryRetiredSchemaInTheHistoryFolder() throws IOException {
    try (Stream<Path> files = Files.list(HISTORY)) {
      assertThat(KnownSchemas.historyFileNames())
          .containsExactlyInAnyOrderElementsOf(
              files
                  .map(path -> path.getFileName().toString())
                  .filter(name -> name.endsWith(".avsc"))
                  .toList());
    }
  }

  @Test
  void everyRetiredVersionCanBeReadByTheCurrentSchemaOfTheSameName() throws Exception {
    for (String fileName : KnownSchemas.historyFileNames()) {
      Schema retired = AvroSerdeTest.historySchema(fileName);
      Schema current =
          KnownSchemas.CURRENT.stream()
              .filter(schema -> schema.getFullName().equals(retired.getFullName()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          fileName + " names no current schema: " + retired.getFullName()));

      assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, retired).getType())
          .as("current %s reads %s", current.getName(), fileName)
          .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }
  }

  @Test
  void theStoreResolvesEveryVersionByFingerprint() {
    KnownSchemas store = KnownSchemas.instance();

    assertThat(store.all())
        .hasSize(KnownSchemas.CURRENT.size() + KnownSchemas.historyFileNames().size());
    for (Schema schema : store.all()) {
      assertThat(store.findByFingerprint(KnownSchemas.fingerprint(schema))).isEqualTo(schema);
    }
    assertThat(store.findByFingerprint(42L)).isNull();
  }
}
