package org.millrace.trainer.diloco;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.millrace.trainer.optim.ModelTrainer;

/**
 * A model's parameters as Java arrays, by name in the model's order: what the outer step computes
 * on, copied out of and back into the engine's tensors, and saved as safetensors shaped as the
 * model's.
 */
final class ModelParameters {

  private ModelParameters() {}

  /** A copy of every parameter of the trainer's model. */
  static Map<String, float[]> read(ModelTrainer trainer) {
    Map<String, float[]> parameters = new LinkedHashMap<>();
    trainer
        .model()
        .namedParameters()
        .forEach((name, parameter) -> parameters.put(name, parameter.getArray().toFloatArray()));
    return parameters;
  }

  /** Overwrites the trainer's model's parameters with {@code parameters}. */
  static void write(ModelTrainer trainer, Map<String, float[]> parameters) {
    // in place, which autograd refuses on a thread where it records
    ModelTrainer.recordNoGraph();
    try (NDManager scratch = trainer.manager().newSubManager()) {
      trainer.model().loadWeights(arrays(trainer, parameters, scratch));
    }
  }

  /** Writes {@code parameters}, shaped as the trainer's model's, to a safetensors file. */
  static void save(ModelTrainer trainer, Map<String, float[]> parameters, Path file)
      throws IOException {
    try (NDManager scratch = trainer.manager().newSubManager();
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      arrays(trainer, parameters, scratch).encode(out, NDList.Encoding.SAFETENSORS);
    }
  }

  /** Reads a file written by {@link #save}, by name. */
  static Map<String, float[]> load(ModelTrainer trainer, Path file) throws IOException {
    Map<String, float[]> parameters = new LinkedHashMap<>();
    try (NDManager scratch = trainer.manager().newSubManager();
        InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      for (NDArray array : NDList.decode(scratch, in)) {
        parameters.put(array.getName(), array.toFloatArray());
      }
    }
    Map<String, float[]> ordered = new LinkedHashMap<>();
    for (String name : trainer.model().namedParameters().keySet()) {
      float[] values = parameters.get(name);
      if (values == null) {
        throw new IOException(file + " has no parameter " + name);
      }
      ordered.put(name, values);
    }
    return ordered;
  }

  private static NDList arrays(
      ModelTrainer trainer, Map<String, float[]> parameters, NDManager manager) {
    NDList arrays = new NDList(parameters.size());
    trainer
        .model()
        .namedParameters()
        .forEach(
            (name, parameter) -> {
              Shape shape = parameter.getArray().getShape();
              NDArray array = manager.create(parameters.get(name), shape);
              array.setName(name);
              arrays.add(array);
            });
    return arrays;
  }
}
