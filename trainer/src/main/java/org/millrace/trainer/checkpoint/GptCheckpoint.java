package org.millrace.trainer.checkpoint;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.millrace.trainer.model.GptConfig;
import org.millrace.trainer.optim.GptTrainer;
import org.millrace.trainer.optim.OptimizerConfig;

/**
 * The files that let a {@link GptTrainer} resume exactly where it stopped, in one directory:
 *
 * <ul>
 *   <li>{@value #CONFIG_FILE}: the {@link GptConfig}, as JSON;
 *   <li>{@value #MODEL_FILE}: every parameter, keyed by its dotted name ({@code
 *       blocks.0.attention.qkv.weight}), readable by any safetensors reader;
 *   <li>{@value #OPTIMIZER_FILE}: AdamW's {@code step} and its moments {@code m.<parameter>} and
 *       {@code v.<parameter>}.
 * </ul>
 *
 * <p>The training hyper-parameters are not saved: they come from the caller's configuration on
 * resume, as in nanoGPT, where a resumed run takes the model's shape from the checkpoint and the
 * schedule from the command line. Writing the directory atomically is the caller's job.
 */
public final class GptCheckpoint {

  /** The model's configuration. */
  public static final String CONFIG_FILE = "config.json";

  /** The model's parameters. */
  public static final String MODEL_FILE = "model.safetensors";

  /** The optimizer's state. */
  public static final String OPTIMIZER_FILE = "optimizer.safetensors";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private GptCheckpoint() {}

  /** Writes the three files of {@code trainer} into {@code dir}, creating it if needed. */
  public static void save(GptTrainer trainer, Path dir) throws IOException {
    Files.createDirectories(dir);
    JSON.writeValue(dir.resolve(CONFIG_FILE).toFile(), trainer.model().config());
    write(trainer.model().weights(), dir.resolve(MODEL_FILE));
    try (NDManager scratch = trainer.manager().newSubManager()) {
      write(trainer.optimizer().state(scratch), dir.resolve(OPTIMIZER_FILE));
    }
  }

  /**
   * Builds a trainer from the checkpoint in {@code dir}: the model's configuration, weights and
   * optimizer state from the files, the hyper-parameters from {@code optimization}.
   */
  public static GptTrainer load(Path dir, OptimizerConfig optimization) throws IOException {
    GptConfig config = JSON.readValue(dir.resolve(CONFIG_FILE).toFile(), GptConfig.class);
    // the seed does not matter: every parameter is overwritten from the checkpoint
    GptTrainer trainer = new GptTrainer(config, optimization, 0);
    try (NDManager scratch = trainer.manager().newSubManager()) {
      trainer.model().loadWeights(read(scratch, dir.resolve(MODEL_FILE)));
      trainer.optimizer().loadState(read(scratch, dir.resolve(OPTIMIZER_FILE)));
    } catch (IOException | RuntimeException e) {
      trainer.close();
      throw e;
    }
    return trainer;
  }

  private static void write(NDList arrays, Path file) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      arrays.encode(out, NDList.Encoding.SAFETENSORS);
    }
  }

  private static NDList read(NDManager manager, Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      return NDList.decode(manager, in);
    }
  }
}
