package org.millrace.trainer.checkpoint;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.millrace.trainer.model.Architecture;
import org.millrace.trainer.model.ModelConfig;
import org.millrace.trainer.optim.ModelTrainer;
import org.millrace.trainer.optim.OptimizerConfig;

/**
 * The files that let a {@link ModelTrainer} resume exactly where it stopped, in one directory:
 *
 * <ul>
 *   <li>{@value #CONFIG_FILE}: which architecture, its configuration and the run's seed, as JSON:
 *       <pre>{@code
 * {
 *   "architecture" : "llama",
 *   "model" : { "vocabSize" : 256, "blockSize" : 64, ... },
 *   "seed" : 1337
 * }
 * }</pre>
 *       where {@code model} holds the fields of the architecture's record ({@link
 *       org.millrace.trainer.model.GptConfig}, {@link org.millrace.trainer.model.LlamaConfig},
 *       {@link org.millrace.trainer.model.EncoderConfig}). A file written before there was a choice
 *       holds a {@code GptConfig}'s fields alone, and still loads, as a GPT;
 *   <li>{@value #MODEL_FILE}: every parameter, keyed by its dotted name ({@code
 *       blocks.0.attention.qkv.weight}), readable by any safetensors reader;
 *   <li>{@value #OPTIMIZER_FILE}: AdamW's {@code step} and its moments {@code m.<parameter>} and
 *       {@code v.<parameter>}.
 * </ul>
 *
 * <p>No generator state is saved: the only randomness after initialisation, masked language
 * modelling's masks, derives from the seed and the optimizer's step count, both in the checkpoint.
 * The training hyper-parameters are not saved: they come from the caller's configuration on resume,
 * as in nanoGPT, where a resumed run takes the model's shape from the checkpoint and the schedule
 * from the command line. Writing the directory atomically is the caller's job.
 */
public final class ModelCheckpoint {

  /** The model's architecture and configuration. */
  public static final String CONFIG_FILE = "config.json";

  /** The model's parameters. */
  public static final String MODEL_FILE = "model.safetensors";

  /** The optimizer's state. */
  public static final String OPTIMIZER_FILE = "optimizer.safetensors";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelCheckpoint() {}

  /**
   * The content of {@value #CONFIG_FILE}.
   *
   * @param architecture an {@link Architecture#id()}
   * @param model the fields of the architecture's configuration record
   * @param seed the seed the trainer was built with
   */
  record ConfigFile(String architecture, JsonNode model, int seed) {

    static ConfigFile of(ModelTrainer trainer) {
      ModelConfig config = trainer.model().config();
      return new ConfigFile(config.architecture().id(), JSON.valueToTree(config), trainer.seed());
    }

    /**
     * Reads the file, or a file of the first format: a GPT's configuration alone. Its seed, not
     * saved then, does not matter: a GPT draws no random numbers after initialisation.
     */
    static ConfigFile read(Path file) throws IOException {
      JsonNode json = JSON.readTree(file.toFile());
      if (!json.has("architecture")) {
        return new ConfigFile(Architecture.GPT.id(), json, 0);
      }
      return JSON.treeToValue(json, ConfigFile.class);
    }

    ModelConfig modelConfig() throws IOException {
      return JSON.treeToValue(model, Architecture.of(architecture).configType());
    }
  }

  /** Writes the three files of {@code trainer} into {@code dir}, creating it if needed. */
  public static void save(ModelTrainer trainer, Path dir) throws IOException {
    Files.createDirectories(dir);
    JSON.writeValue(dir.resolve(CONFIG_FILE).toFile(), ConfigFile.of(trainer));
    write(trainer.model().weights(), dir.resolve(MODEL_FILE));
    try (NDManager scratch = trainer.manager().newSubManager()) {
      write(trainer.optimizer().state(scratch), dir.resolve(OPTIMIZER_FILE));
    }
  }

  /**
   * Builds a trainer from the checkpoint in {@code dir}: the model's architecture, configuration,
   * seed, weights and optimizer state from the files, the hyper-parameters from {@code
   * optimization}.
   */
  public static ModelTrainer load(Path dir, OptimizerConfig optimization) throws IOException {
    ConfigFile configFile = ConfigFile.read(dir.resolve(CONFIG_FILE));
    // the parameters drawn from the seed are overwritten from the checkpoint
    ModelTrainer trainer = new ModelTrainer(configFile.modelConfig(), optimization, configFile.seed());
    // the weights are written into the parameters in place, which autograd refuses on a thread
    // where it records (any thread but the one that loaded the engine)
    ModelTrainer.recordNoGraph();
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
