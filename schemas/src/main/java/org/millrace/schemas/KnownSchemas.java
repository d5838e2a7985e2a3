package org.millrace.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * The schema store behind every Millrace serde: it knows the current schema of each record type and
 * every earlier version kept in {@code history/}, by fingerprint.
 *
 * <p>Avro single-object encoding puts the writer schema's 64-bit fingerprint in front of every
 * record. A reader looks the fingerprint up here and resolves the writer's version against its own,
 * so that records written by an older producer stay readable after a schema gains a field: schemas
 * evolve without a registry server. A record whose fingerprint is unknown is refused (the reader
 * cannot resolve it), which the stages turn into a rejected record.
 *
 * <p>To retire a version: copy its {@code .avsc} into {@code
 * src/main/resources/org/millrace/schemas/history/} as {@code <Name>.v<N>.avsc}, list it in {@code
 * history/index.txt}, then change the schema in {@code src/main/avro/}. A test checks that the
 * index and the folder agree.
 */
public final class KnownSchemas implements SchemaStore {

  /** The current schema of every record type, as generated from {@code src/main/avro/}. */
  public static final List<Schema> CURRENT =
      List.of(
          RawDocument.getClassSchema(),
          CleanDocument.getClassSchema(),
          RejectedDocument.getClassSchema(),
          DuplicateRecord.getClassSchema(),
          TokenizedDocument.getClassSchema(),
          TrainerProgress.getClassSchema(),
          // internal to the dedup stage
          DedupQuestion.getClassSchema(),
          DedupAnswer.getClassSchema(),
          DedupBucket.getClassSchema(),
          DedupPending.getClassSchema(),
          DedupRaceQuestion.getClassSchema(),
          DedupRaceAnswer.getClassSchema());

  static final String HISTORY_FOLDER = "history/";
  static final String HISTORY_INDEX = HISTORY_FOLDER + "index.txt";

  static {
    trustGeneratedClasses();
  }

  private static final KnownSchemas INSTANCE = new KnownSchemas();

  private final SchemaStore.Cache cache = new SchemaStore.Cache();
  private final List<Schema> all = new ArrayList<>();

  private KnownSchemas() {
    CURRENT.forEach(this::add);
    historyFileNames().forEach(name -> add(parseResource(HISTORY_FOLDER + name)));
  }

  public static KnownSchemas instance() {
    return INSTANCE;
  }

  @Override
  public Schema findByFingerprint(long fingerprint) {
    return cache.findByFingerprint(fingerprint);
  }

  /** Every schema this store resolves: the current ones and every retired version. */
  public List<Schema> all() {
    return List.copyOf(all);
  }

  /** The 64-bit fingerprint single-object encoding writes in front of a record of this schema. */
  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  /**
   * Avro 1.12.2 resolves the class of every record, enum and fixed schema through {@link
   * ClassSecurityValidator}, which trusts only a few JDK classes by default (AVRO-4189), so it
   * refuses our own generated classes. Trust exactly those, not whole packages.
   */
  private static void trustGeneratedClasses() {
    ClassSecurityValidator.ClassSecurityPredicate ours =
        ClassSecurityValidator.builder()
            .add(RawDocument.class)
            .add(CleanDocument.class)
            .add(RejectedDocument.class)
            .add(DuplicateRecord.class)
            .add(DuplicateKind.class)
            .add(TokenizedDocument.class)
            .add(Split.class)
            .add(TrainerProgress.class)
            .add(PartitionPosition.class)
            .add(TaskAccuracy.class)
            .add(DedupQuestion.class)
            .add(DedupAnswer.class)
            .add(DedupBucket.class)
            .add(DedupBucketMember.class)
            .add(DedupPending.class)
            .add(DedupLaterCopy.class)
            .add(DedupRaceQuestion.class)
            .add(DedupRaceAnswer.class)
            .build();
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), ours));
  }

  private void add(Schema schema) {
    cache.addSchema(schema);
    all.add(schema);
  }

  static List<String> historyFileNames() {
    String index = new String(readResource(HISTORY_INDEX), StandardCharsets.UTF_8);
    return index
        .lines()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }

  private static Schema parseResource(String name) {
    return new Schema.Parser().parse(new String(readResource(name), StandardCharsets.UTF_8));
  }

  private static byte[] readResource(String name) {
    try (InputStream in = KnownSchemas.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("schema resource missing from the classpath: " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema resource " + name, e);
    }
  }
}
