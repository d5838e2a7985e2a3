package org.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.cli.DedupIT.Sent;
import org.millrace.processors.dedup.LshBands;
import org.millrace.processors.dedup.MinHash;
import org.millrace.processors.dedup.WordShingles;
import org.millrace.producers.feed.Feeder;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.TopicRecords;
import org.millrace.runtime.topics.TopicBootstrap;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.DuplicateRecord;
import org.millrace.schemas.RejectedDocument;
import org.millrace.schemas.TokenizedDocument;
import org.millrace.schemas.TrainerProgress;
import org.millrace.trainer.TrainerKeys;

/**
 * The conservation law across processes, under faults (issue 16): the deployment compose runs (a
 * broker, each stage and the trainer, each a process of its own: {@link ProcessDeployment}) is fed
 * about 1,300 documents, with exact and near copies and bad records, while stage processes are
 * killed with SIGKILL and started again, the trainer is killed twice and the broker restarted once.
 * At the end, read with read_committed, every record of docs.raw is in exactly one of tokens,
 * docs.duplicates and docs.rejected, nothing is there twice, of each set of identical texts exactly
 * one reached tokens, no near copy reached tokens beside its original, and the trainer resumed at
 * its checkpoints with its step rising.
 *
 * <p>The kill schedule comes from {@link #SEED} ({@code -Dfaults.seed=N} for another), printed with
 * every fault, so a failure can be replayed.
 */
public class ConservationUnderFaultsIT {

  private static final long SEED = Long.getLong("faults.seed", 16L);
  private static final int CLUSTERS = 500;
  private static final int PARTS = 3;
  private static final int STAGE_KILLS_PER_PART = 2;
  private static final int CHECKPOINT_INTERVAL = 10;
  private static final String RUN = "faults";
  private static final Duration SETTLE = Duration.ofMinutes(3);

  @TempDir Path dir;

  private final List<String> faults = new ArrayList<>();
  private final List<String> trainerResumes = new ArrayList<>();
  private ProcessDeployment deployment;
  private Topics topics;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void everyRawRecordEndsInExactlyOneOutcomeWhateverIsKilled() throws Exception {
    long started = System.nanoTime();
    Random random = new Random(SEED);
    System.err.println("ConservationUnderFaultsIT: seed " + SEED);
    Map<String, String> settings =
        SmallPipeline.settings(
            Map.of(
                MillraceConfig.TOPICS_PARTITIONS, "3",
                MillraceConfig.METRICS_PORT, "-1",
                TrainerKeys.RUN_ID, RUN,
                TrainerKeys.WARMUP_STEPS, "2",
                TrainerKeys.EVAL_INTERVAL_STEPS, "0",
                TrainerKeys.CHECKPOINT_INTERVAL_STEPS, String.valueOf(CHECKPOINT_INTERVAL)));
    List<Sent> corpus = DedupCorpus.clusters(CLUSTERS, random);
    Map<String, String> textById = new HashMap<>();
    corpus.forEach(s -> textById.put(s.document().getId(), s.document().getText()));

    try (ProcessDeployment running = new ProcessDeployment(dir, freePort(), settings)) {
      deployment = running;
      deployment.startBroker();
      MillraceConfig config = MillraceConfig.of(deployment.settings("test"));
      topics = Topics.of(config);
      try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
        TopicBootstrap.ensureTopics(admin, TopicBootstrap.specifications(config));
      }
      for (String stage : ProcessDeployment.STAGES) {
        deployment.start(stage);
      }
      deployment.start(ProcessDeployment.TRAINER);
      int trainerLifeStart = 0;

      for (int part = 0; part < PARTS; part++) {
        feed(
            config,
            corpus.subList(part * corpus.size() / PARTS, (part + 1) * corpus.size() / PARTS),
            part);
        sendBadRecords(config, part, random);
        for (int kill = 0; kill < STAGE_KILLS_PER_PART; kill++) {
          Thread.sleep(500 + random.nextInt(2000));
          String stage =
              ProcessDeployment.STAGES.get(random.nextInt(ProcessDeployment.STAGES.size()));
          fault("SIGKILL " + stage, started);
          deployment.killAndRestart(stage);
          deployment.supervise();
        }
        if (part != 1) {
          trainerLifeStart = killTrainerAfterACheckpoint(trainerLifeStart, started);
        } else {
          fault("restart the broker", started);
          deployment.stopBroker();
          deployment.startBroker();
        }
      }
      long stepBeforeLastKill =
          progress().subList(0, trainerLifeStart).stream()
              .mapToLong(TrainerProgress::getStep)
              .max()
              .orElse(0);
      awaitEveryRawRecordAccountedFor(started);
      awaitTrainerStepAbove(stepBeforeLastKill, started);
      deployment.stopParts();

      Outcomes outcomes = outcomes();
      System.err.printf(
          "ConservationUnderFaultsIT: seed %d; %s; faults %s; unexpected exits %s; trainer %s;"
              + " %.0f s%n",
          SEED,
          outcomes,
          faults,
          deployment.unexpectedExits(),
          trainerResumes,
          (System.nanoTime() - started) / 1e9);

      assertThat(outcomes.raw()).as("docs.raw holds no copies").doesNotHaveDuplicates();
      assertThat(outcomes.raw()).hasSizeGreaterThan(corpus.size());
      assertThat(outcomes.all())
          .as("every raw record in exactly one of tokens, duplicates and rejected")
          .doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(outcomes.raw());
      assertThat(outcomes.chunksTwice()).as("token chunks written twice").isZero();

      CopyCount copies = CopyCount.of(corpus, textById, new HashSet<>(outcomes.tokens()));
      System.err.println("ConservationUnderFaultsIT: " + copies);
      assertThat(copies.exactGroupsWithoutAny())
          .as("sets of identical texts of which none reached tokens")
          .isZero();
      assertThat(copies.exactCopiesBesideTheirOriginal())
          .as("exact copies that reached tokens beside their original (%s)", copies)
          .isZero();
      assertThat(copies.nearClustersWithoutAny())
          .as("texts with near copies of which nothing reached tokens (%s)", copies)
          .isZero();
      // Issue 16 asked for under 2% here (the (timestamp, id) rule alone kept 4.5-6.9% of them,
      // copies that reached their buckets before a stalled partition's original): a copy that
      // arrives second now asks about the first (docs/dedup.md, races), and of two documents that
      // share an LSH bucket and verify as copies none may be kept beside the other. Copies that
      // LSH does not make candidates (1-2% of these, by the S-curve) are counted apart.
      assertThat(copies.nearCopiesBesideTheirOriginal())
          .as("near copies that reached tokens beside their original (%s)", copies)
          .isZero();

      assertThat(trainerResumes).hasSize(2).allMatch(line -> line.startsWith("ok"));
    }
  }

  private void fault(String what, long started) {
    String line = String.format("%.0f s: %s", (System.nanoTime() - started) / 1e9, what);
    faults.add(line);
    System.err.println("ConservationUnderFaultsIT: " + line);
  }

  /** A part of the corpus as a JSONL file, fed by the (exactly-once) feeder of this JVM. */
  private void feed(MillraceConfig config, List<Sent> documents, int part) throws IOException {
    List<String> lines = new ArrayList<>();
    for (Sent sent : documents) {
      lines.add(
          "{\"id\": \""
              + sent.document().getId()
              + "\", \"text\": \""
              + sent.document().getText()
              + "\"}");
    }
    Path file = Files.write(dir.resolve("part-" + part + ".jsonl"), lines);
    try (Feeder feeder = new Feeder(config)) {
      feeder.feed(List.of(file));
    }
  }

  /** Records anyone could put into docs.raw with kcat: every one a rejection with a reason. */
  private void sendBadRecords(MillraceConfig config, int part, Random random) {
    byte[] garbage = new byte[512];
    random.nextBytes(garbage);
    garbage[0] = 0;
    Map<String, byte[]> bad = new HashMap<>();
    bad.put("malformed", "{\"text\": \"no closing quote}".getBytes(StandardCharsets.UTF_8));
    bad.put("garbage", garbage);
    bad.put("latin1", "{\"text\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
    bad.put("empty", new byte[0]);
    bad.put("array", "[1, 2, 3]".getBytes(StandardCharsets.UTF_8));
    bad.put("no-text", "{\"title\": \"no text\"}".getBytes(StandardCharsets.UTF_8));
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaClientProperties.producer(config, "kcat-like"))) {
      bad.forEach(
          (kind, value) ->
              producer.send(
                  new ProducerRecord<>(
                      topics.raw(),
                      ("bad-" + part + "-" + kind).getBytes(StandardCharsets.UTF_8),
                      value)));
    }
  }

  /**
   * Waits until the trainer's current life announced a checkpoint, kills it, starts it again, and
   * checks where the new life resumed: at a checkpoint of the killed one, not from scratch.
   *
   * @return the index in {@link #progress()} where the new life's records begin
   */
  private int killTrainerAfterACheckpoint(int lifeStart, long started) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    List<TrainerProgress> life = life(lifeStart);
    long resumedAt = lifeStart == 0 || life.isEmpty() ? 0 : life.get(0).getStep();
    while (life.stream()
        .noneMatch(p -> p.getCheckpointStep() != null && p.getCheckpointStep() > resumedAt)) {
      assertThat(System.nanoTime()).as("a trainer checkpoint within 90 s").isLessThan(deadline);
      deployment.supervise();
      Thread.sleep(200);
      life = life(lifeStart);
    }
    fault("SIGKILL the trainer", started);
    deployment.kill(ProcessDeployment.TRAINER);
    List<TrainerProgress> killed = life(lifeStart);
    int nextLife = lifeStart + killed.size();
    long lastCheckpoint =
        killed.stream()
            .filter(p -> p.getCheckpointStep() != null)
            .mapToLong(TrainerProgress::getCheckpointStep)
            .max()
            .orElseThrow();
    long lastStep = killed.stream().mapToLong(TrainerProgress::getStep).max().orElseThrow();
    deployment.start(ProcessDeployment.TRAINER);
    List<TrainerProgress> next = life(nextLife);
    while (next.isEmpty()) {
      assertThat(System.nanoTime())
          .as("the restarted trainer reports within 90 s of the checkpoint")
          .isLessThan(deadline + Duration.ofSeconds(90).toNanos());
      deployment.supervise();
      Thread.sleep(200);
      next = life(nextLife);
    }
    long firstStep = next.get(0).getStep();
    boolean atACheckpoint = firstStep >= lastCheckpoint && firstStep <= lastStep + 1;
    trainerResumes.add(
        String.format(
            "%s: killed at step %d (last checkpoint announced %d), resumed at step %d",
            atACheckpoint ? "ok" : "WRONG", lastStep, lastCheckpoint, firstStep));
    return nextLife;
  }

  /** The trainer's progress records from index {@code start} on. */
  private List<TrainerProgress> life(int start) {
    List<TrainerProgress> all = progress();
    return all.subList(Math.min(start, all.size()), all.size());
  }

  private void awaitEveryRawRecordAccountedFor(long started) throws Exception {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    Outcomes outcomes = outcomes();
    while (outcomes.all().size() < outcomes.raw().size()) {
      assertThat(System.nanoTime())
          .as("every raw record accounted for within %s: %s", SETTLE, outcomes)
          .isLessThan(deadline);
      System.err.printf(
          "ConservationUnderFaultsIT: %.0f s: waiting: %s%n",
          (System.nanoTime() - started) / 1e9, outcomes);
      deployment.supervise();
      Thread.sleep(5000);
      outcomes = outcomes();
    }
    fault("every raw record accounted for", started);
  }

  private void awaitTrainerStepAbove(long step, long started) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (progress().stream().mapToLong(TrainerProgress::getStep).max().orElse(0) <= step) {
      assertThat(System.nanoTime())
          .as("the trainer passes step %d within 90 s", step)
          .isLessThan(deadline);
      deployment.supervise();
      Thread.sleep(500);
    }
    fault("the trainer passed step " + step, started);
  }

  private List<TrainerProgress> progress() {
    return read(topics.progress()).stream()
        .map(record -> AvroSerde.trainerProgress().decode(record.value()))
        .filter(p -> p.getRunId().equals(RUN))
        .toList();
  }

  private List<ConsumerRecord<byte[], byte[]>> read(String topic) {
    return TopicRecords.readAll(deployment.bootstrapServers(), topic);
  }

  /**
   * What became of docs.raw, as ids: a record's document id ({@link Feeder}'s documents), else its
   * key (the bad records); a rejection by the clean stage is traced back to its raw record by its
   * coordinates.
   */
  record Outcomes(
      List<String> raw,
      List<String> tokens,
      List<String> duplicates,
      List<String> rejected,
      long chunksTwice) {

    List<String> all() {
      List<String> all = new ArrayList<>(tokens);
      all.addAll(duplicates);
      all.addAll(rejected);
      return all;
    }

    @Override
    public String toString() {
      return String.format(
          "raw %d, tokens %d, duplicates %d, rejected %d",
          raw.size(), tokens.size(), duplicates.size(), rejected.size());
    }
  }

  private Outcomes outcomes() {
    List<String> raw = new ArrayList<>();
    Map<String, String> rawIdAt = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : read(topics.raw())) {
      String id =
          AvroSerde.hasMarker(record.value())
              ? AvroSerde.rawDocument().decode(record.value()).getId()
              : new String(record.key(), StandardCharsets.UTF_8);
      raw.add(id);
      rawIdAt.put(record.partition() + "/" + record.offset(), id);
    }
    List<String> tokens = new ArrayList<>();
    Set<String> chunks = new HashSet<>();
    long chunksTwice = 0;
    for (ConsumerRecord<byte[], byte[]> record : read(topics.tokens())) {
      TokenizedDocument chunk = AvroSerde.tokenizedDocument().decode(record.value());
      if (!chunks.add(chunk.getDocumentId() + "#" + chunk.getChunkIndex())) {
        chunksTwice++;
      }
      if (chunk.getChunkIndex() == 0) {
        tokens.add(chunk.getDocumentId());
      }
    }
    List<String> duplicates =
        read(topics.duplicates()).stream()
            .map(record -> AvroSerde.duplicateRecord().decode(record.value()))
            .map(DuplicateRecord::getDuplicateId)
            .toList();
    List<String> rejected = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : read(topics.rejected())) {
      RejectedDocument rejection = AvroSerde.rejectedDocument().decode(record.value());
      if (rejection.getStage().equals(Feeder.STAGE)) {
        continue; // never reached docs.raw
      }
      rejected.add(
          topics.raw().equals(rejection.getOriginTopic())
              ? rawIdAt.getOrDefault(
                  rejection.getOriginPartition() + "/" + rejection.getOriginOffset(),
                  rejection.getId())
              : rejection.getId());
    }
    return new Outcomes(raw, tokens, duplicates, rejected, chunksTwice);
  }

  /**
   * Copies that reached tokens: of a set of identical texts exactly one may, and a near copy never
   * beside its original (docs/dedup.md).
   */
  record CopyCount(
      int exactGroups,
      int exactGroupsWithoutAny,
      int exactCopiesBesideTheirOriginal,
      int nearCopies,
      int nearCopiesBesideTheirOriginal,
      int nearCopiesNotCandidates,
      int nearClustersWithoutAny) {

    static CopyCount of(List<Sent> corpus, Map<String, String> textById, Set<String> tokens) {
      Map<String, List<String>> idsByText = new HashMap<>();
      corpus.forEach(
          s ->
              idsByText
                  .computeIfAbsent(s.document().getText(), t -> new ArrayList<>())
                  .add(s.document().getId()));
      int groups = 0;
      int without = 0;
      int exactBeside = 0;
      for (List<String> ids : idsByText.values()) {
        if (ids.size() > 1) {
          groups++;
          long reached = ids.stream().filter(tokens::contains).count();
          // a text with near copies may go whole, as a near duplicate of a member of its cluster
          // fed before it: that the cluster keeps a member is nearClustersWithoutAny's check
          String first = ids.get(0);
          String original = first.substring(0, first.lastIndexOf('-')) + "-0";
          boolean hasNearCopies =
              corpus.stream()
                  .map(c -> c.document().getId())
                  .filter(id -> id.startsWith(original.substring(0, original.length() - 1)))
                  .anyMatch(id -> !textById.get(id).equals(textById.get(original)));
          without += reached == 0 && !hasNearCopies ? 1 : 0;
          exactBeside += (int) Math.max(0, reached - 1);
        }
      }
      int near = 0;
      int nearBeside = 0;
      int nearMissed = 0;
      Map<String, Boolean> nearClusterReached = new HashMap<>();
      for (Sent sent : corpus) {
        String id = sent.document().getId();
        String original = id.substring(0, id.lastIndexOf('-')) + "-0";
        if (!textById.get(id).equals(textById.get(original))) {
          near++;
          nearClusterReached.merge(original, false, Boolean::logicalOr);
          boolean originalReached =
              idsByText.get(textById.get(original)).stream().anyMatch(tokens::contains);
          if (tokens.contains(id) && originalReached) {
            if (meet(textById.get(id), textById.get(original))) {
              nearBeside++;
            } else {
              nearMissed++;
            }
          }
        }
      }
      // a text and its near copies (ids sharing the prefix): at least one must reach tokens
      for (Sent sent : corpus) {
        String id = sent.document().getId();
        String original = id.substring(0, id.lastIndexOf('-')) + "-0";
        if (nearClusterReached.containsKey(original) && tokens.contains(id)) {
          nearClusterReached.put(original, true);
        }
      }
      int clustersWithoutAny = (int) nearClusterReached.values().stream().filter(r -> !r).count();
      return new CopyCount(
          groups, without, exactBeside, near, nearBeside, nearMissed, clustersWithoutAny);
    }

    /**
     * Whether the dedup stage, with its default settings, sees two texts as near copies: they share
     * an LSH band and their estimated similarity reaches the threshold.
     */
    static boolean meet(String a, String b) {
      LshBands lsh = new LshBands(14, 8);
      MinHash minHash = new MinHash(lsh.signatureSize());
      int[] first = minHash.signature(WordShingles.of(a, 5));
      int[] second = minHash.signature(WordShingles.of(b, 5));
      boolean shareABand = false;
      for (int band = 0; band < lsh.bands(); band++) {
        shareABand |= lsh.bucket(first, band).equals(lsh.bucket(second, band));
      }
      return shareABand && MinHash.similarity(first, second) >= 0.72;
    }

    @Override
    public String toString() {
      return String.format(
          "%d sets of identical texts: %d exact copies reached tokens beside their original, %d"
              + " sets none; %d near copies: %d reached tokens beside their original (%.1f%%),"
              + " and %d that LSH does not make candidates of it (%.1f%%); %d texts with near"
              + " copies none",
          exactGroups,
          exactCopiesBesideTheirOriginal,
          exactGroupsWithoutAny,
          nearCopies,
          nearCopiesBesideTheirOriginal,
          100.0 * nearCopiesBesideTheirOriginal / Math.max(1, nearCopies),
          nearCopiesNotCandidates,
          100.0 * nearCopiesNotCandidates / Math.max(1, nearCopies),
          nearClustersWithoutAny);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
