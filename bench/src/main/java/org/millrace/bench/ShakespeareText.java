package org.millrace.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.kafka.EmbeddedKafkaBroker;
import org.millrace.tokenizer.CharacterTokenizer;
import org.millrace.tokenizer.TokenizerKeys;
import org.millrace.trainer.TrainerKeys;

/**
 * tinyshakespeare at character level, as nanoGPT's {@code shakespeare_char} prepares it: the first
 * 90% of the text trains, the last 10% validates; for the benchmarks that train on it through the
 * token topic of an embedded broker ({@code shakespeare-char}, {@code sweep}).
 */
final class ShakespeareText {

  final String text;
  final CharacterTokenizer tokenizer;
  final int[] ids;

  /** The first validation token: 90% of the text trains. */
  final int split;

  private ShakespeareText(String text) {
    this.text = text;
    this.tokenizer = CharacterTokenizer.train(text, List.of("<|endoftext|>"));
    this.ids = tokenizer.encode(text);
    this.split = (int) (ids.length * 0.9);
  }

  static ShakespeareText read(Path data) throws IOException {
    if (!Files.isRegularFile(data)) {
      throw new IllegalArgumentException(
          data.toAbsolutePath()
              + " not found: --data names the tinyshakespeare text (input.txt of"
              + " karpathy/char-rnn's data/tinyshakespeare)");
    }
    return new ShakespeareText(Files.readString(data));
  }

  /**
   * The settings of a trainer on {@code broker} with this text's tokenizer (written to {@code
   * dataDir}), one partition, and nanoGPT's {@code train_shakespeare_char.py} hyper-parameters:
   * block 64, batch 12, learning rate 1e-3 decayed to 1e-4, beta2 0.99, weight decay 0.1.
   */
  Map<String, String> trainerSettings(EmbeddedKafkaBroker broker, Path dataDir) throws IOException {
    Path tokenizerFile = dataDir.resolve("chars.json");
    tokenizer.write(tokenizerFile);
    return trainerSettings(broker, dataDir, tokenizerFile);
  }

  /** The same settings with any tokenizer file (bench shakespeare-char --tokenizer). */
  static Map<String, String> trainerSettings(
      EmbeddedKafkaBroker broker, Path dataDir, Path tokenizerFile) {
    return Map.ofEntries(
        Map.entry(MillraceConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers()),
        Map.entry(MillraceConfig.DATA_DIR, dataDir.toString()),
        Map.entry(MillraceConfig.TOPICS_PARTITIONS, "1"),
        Map.entry(TokenizerKeys.FILE, tokenizerFile.toString()),
        Map.entry(TrainerKeys.BLOCK_SIZE, "64"),
        Map.entry(TrainerKeys.BATCH_SIZE, "12"),
        Map.entry(TrainerKeys.LEARNING_RATE, "1e-3"),
        Map.entry(TrainerKeys.MIN_LEARNING_RATE, "1e-4"),
        Map.entry(TrainerKeys.BETA2, "0.99"),
        Map.entry(TrainerKeys.WEIGHT_DECAY, "0.1"));
  }
}
