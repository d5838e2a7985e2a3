package org.millrace.trainer.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.millrace.trainer.optim.ModelTrainer;
import org.millrace.trainer.optim.OptimizerConfig;
import org.millrace.trainer.stream.TokenStreamPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of one run, in {@code <directory>/step-<step>/}: the model and optimizer ({@link
 * ModelCheckpoint}), the exact token-stream position and the trainer's counters.
 *
 * <p>A checkpoint is written into a temporary folder, every file forced to disk, then renamed into
 * place in one atomic step: a crash leaves either the whole checkpoint or none of it, never a torn
 * one. Only the newest {@code keep} checkpoints are kept.
 */
public final class CheckpointStore {

  public static final String POSITION_FILE = "stream-position.json";
  public static final String STATE_FILE = "trainer-state.json";
  private static final String PREFIX = "step-";
  private static final String TEMPORARY_SUFFIX = ".tmp";
  private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path directory;
  private final int keep;

  public CheckpointStore(Path directory, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep at least one checkpoint, got " + keep);
    }
    this.directory = directory;
    this.keep = keep;
  }

  /**
   * A checkpoint read back: the trainer with its model and optimizer, the position and the
   * counters.
   */
  public record Restored(
      Path path, ModelTrainer model, TokenStreamPosition position, TrainerState state) {}

  /** More files of a checkpoint, written into its folder before it is forced and renamed. */
  public interface Part {
    void writeTo(Path checkpoint) throws IOException;
  }

  /** Writes a checkpoint for {@code state.step()} and returns its folder. */
  public Path save(ModelTrainer trainer, TokenStreamPosition position, TrainerState state)
      throws IOException {
    return save(trainer, position, state, checkpoint -> {});
  }

  /**
   * Writes a checkpoint for {@code state.step()}, with {@code part}'s files (a DiLoCo worker's
   * outer state), and returns its folder.
   */
  public Path save(
      ModelTrainer trainer, TokenStreamPosition position, TrainerState state, Part part)
      throws IOException {
    Files.createDirectories(directory);
    Path target = directory.resolve(String.format("%s%09d", PREFIX, state.step()));
    Path temporary = directory.resolve(target.getFileName() + TEMPORARY_SUFFIX);
    deleteRecursively(temporary);
    Files.createDirectories(temporary);

    ModelCheckpoint.save(trainer, temporary);
    JSON.writeValue(temporary.resolve(POSITION_FILE).toFile(), PositionFile.of(position));
    JSON.writeValue(temporary.resolve(STATE_FILE).toFile(), state);
    part.writeTo(temporary);
    try (Stream<Path> files = Files.list(temporary)) {
      for (Path file : files.toList()) {
        force(file);
      }
    }
    force(temporary);

    deleteRecursively(target); // a checkpoint of the same step from an interrupted earlier run
    try {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "the checkpoint directory " + directory + " does not support atomic renames", e);
    }
    force(directory);
    deleteAllButNewest();
    return target;
  }

  /** The newest complete checkpoint, if any. Left-over temporary folders are ignored. */
  public Optional<Path> latest() throws IOException {
    List<Path> checkpoints = checkpoints();
    return checkpoints.isEmpty()
        ? Optional.empty()
        : Optional.of(checkpoints.get(checkpoints.size() - 1));
  }

  public Restored restore(Path checkpoint, OptimizerConfig optimization) throws IOException {
    TrainerState state =
        JSON.readValue(checkpoint.resolve(STATE_FILE).toFile(), TrainerState.class);
    TokenStreamPosition position =
        JSON.readValue(checkpoint.resolve(POSITION_FILE).toFile(), PositionFile.class).toPosition();
    ModelTrainer trainer = ModelCheckpoint.load(checkpoint, optimization);
    return new Restored(checkpoint, trainer, position, state);
  }

  /** Complete checkpoints, oldest first. */
  public List<Path> checkpoints() throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return entries
          .filter(path -> path.getFileName().toString().startsWith(PREFIX))
          .filter(path -> !path.getFileName().toString().endsWith(TEMPORARY_SUFFIX))
          .filter(path -> Files.isRegularFile(path.resolve(STATE_FILE)))
          .sorted(Comparator.comparing(path -> path.getFileName().toString()))
          .toList();
    }
  }

  private void deleteAllButNewest() throws IOException {
    List<Path> checkpoints = new ArrayList<>(checkpoints());
    while (checkpoints.size() > keep) {
      Path oldest = checkpoints.remove(0);
      deleteRecursively(oldest);
      log.debug("Deleted old checkpoint {}", oldest);
    }
  }

  private static void force(Path path) throws IOException {
    // A directory is opened for reading to force its entries (the renamed names) to disk.
    try (FileChannel channel =
        FileChannel.open(
            path, Files.isDirectory(path) ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }

  /** The JSON form of a {@link TokenStreamPosition}. */
  record PositionFile(
      String topic, Map<Integer, Long> nextOffsets, int nextPartition, int[] pendingTokens) {

    static PositionFile of(TokenStreamPosition position) {
      Map<Integer, Long> offsets = new HashMap<>();
      String topic = null;
      for (Map.Entry<TopicPartition, Long> entry : position.nextOffsets().entrySet()) {
        topic = entry.getKey().topic();
        offsets.put(entry.getKey().partition(), entry.getValue());
      }
      return new PositionFile(topic, offsets, position.nextPartition(), position.pendingTokens());
    }

    TokenStreamPosition toPosition() {
      Map<TopicPartition, Long> offsets = new HashMap<>();
      nextOffsets.forEach(
          (partition, next) -> offsets.put(new TopicPartition(topic, partition), next));
      return new TokenStreamPosition(offsets, nextPartition, pendingTokens);
    }
  }
}
