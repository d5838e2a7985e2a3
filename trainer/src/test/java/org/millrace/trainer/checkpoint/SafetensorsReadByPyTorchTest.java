package org.millrace.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.trainer.model.GptConfig;
import org.millrace.trainer.optim.AdamWConfig;
import org.millrace.trainer.optim.LearningRateSchedule;
import org.millrace.trainer.optim.ModelTrainer;
import org.millrace.trainer.optim.OptimizerConfig;
import org.millrace.trainer.testing.PyTorchProgram;

/**
 * Our {@code model.safetensors} read by PyTorch with {@code src/test/python/safetensors_file.py}:
 * the header parsed as the safetensors format defines it (a little-endian 64-bit length, a JSON
 * table of dtype, shape and byte offsets, then the raw data), every tensor built with {@code
 * torch.frombuffer}. Skips, and says so on stderr, without PyTorch ({@link PyTorchProgram}).
 */
class SafetensorsReadByPyTorchTest {

  private static final Path READER = Path.of("src/test/python/safetensors_file.py");

  @TempDir Path dir;

  @BeforeAll
  static void requirePyTorch() throws Exception {
    PyTorchProgram.assumeTorch(SafetensorsReadByPyTorchTest.class);
  }

  @Test
  void pyTorchReadsEveryWeightWithItsShapeAndValues() throws Exception {
    OptimizerConfig optimization =
        new OptimizerConfig(AdamWConfig.gpt3(), new LearningRateSchedule(1e-3, 1e-4, 0, 10), 1.0f);
    try (ModelTrainer trainer = new ModelTrainer(GptConfig.tiny(64), optimization, 5)) {
      trainer.step(new Random(1).ints(2 * 33, 0, 64).toArray(), 2);
      ModelCheckpoint.save(trainer, dir);

      JsonNode read = readWithPyTorch(dir.resolve(ModelCheckpoint.MODEL_FILE));

      Map<String, NDArray> weights =
          trainer.model().weights().stream().collect(Collectors.toMap(NDArray::getName, a -> a));
      assertThat(read.fieldNames())
          .toIterable()
          .containsExactlyInAnyOrderElementsOf(weights.keySet());
      for (Map.Entry<String, NDArray> weight : weights.entrySet()) {
        JsonNode tensor = read.get(weight.getKey());
        long[] shape = weight.getValue().getShape().getShape();
        assertThat(tensor.get("shape").traverse(new ObjectMapper()).readValueAs(long[].class))
            .as(weight.getKey())
            .containsExactly(shape);
        float[] expected = weight.getValue().toFloatArray();
        float[] actual = new float[tensor.get("values").size()];
        for (int i = 0; i < actual.length; i++) {
          actual[i] = (float) tensor.get("values").get(i).doubleValue();
        }
        assertThat(Arrays.equals(actual, expected)).as(weight.getKey() + " values").isTrue();
      }
    }
  }

  private static JsonNode readWithPyTorch(Path file) throws Exception {
    return PyTorchProgram.run(READER, 120, file.toString());
  }
}
