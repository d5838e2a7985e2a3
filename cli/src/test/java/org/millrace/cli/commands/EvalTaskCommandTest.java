package org.millrace.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.cli.CommandRun;
import org.millrace.tokenizer.CharacterTokenizer;
import org.millrace.trainer.checkpoint.CheckpointStore;
import org.millrace.trainer.checkpoint.TrainerState;
import org.millrace.trainer.model.GptConfig;
import org.millrace.trainer.optim.AdamWConfig;
import org.millrace.trainer.optim.LearningRateSchedule;
import org.millrace.trainer.optim.ModelTrainer;
import org.millrace.trainer.optim.OptimizerConfig;
import org.millrace.trainer.stream.TokenStreamPosition;

/**
 * {@code millrace eval --task} on a checkpoint folder that holds its tokenizer: what scripts read
 * (the last lines), the JSON report, and a bad task file refused before the model is read.
 */
class EvalTaskCommandTest {

  @Test
  void theLastLinesAreAccAndAccNormAndTheReportHoldsEveryTask(@TempDir Path folder)
      throws Exception {
    CharacterTokenizer tokenizer =
        CharacterTokenizer.train("Tabcdefghijklmnopqrstuvwxyz .\n", List.of("<|endoftext|>"));
    Path checkpoint = folder.resolve("checkpoint");
    try (ModelTrainer model =
        new ModelTrainer(
            GptConfig.tiny(tokenizer.vocabularySize()),
            new OptimizerConfig(
                AdamWConfig.gpt3(), new LearningRateSchedule(1e-3, 1e-4, 10, 100), 1.0f),
            1)) {
      Path saved =
          new CheckpointStore(folder.resolve("run"), 1)
              .save(
                  model,
                  TokenStreamPosition.start(),
                  new TrainerState("run", 3, 0, tokenizer.fingerprint(), 4.0f));
      Files.move(saved, checkpoint);
    }
    tokenizer.write(checkpoint.resolve(CheckpointOptions.TOKENIZER_FILE));
    Path choices = folder.resolve("choices.jsonl");
    Files.writeString(
        choices,
        "{\"context\": \"the cat\", \"choices\": [\"sat.\", \"ran.\"], \"gold\": 0}\n"
            + "{\"context\": \"a dog\", \"choices\": [\"ran.\", \"sat.\", \"is.\"], \"gold\":"
            + " 2}\n");
    Path lambada = folder.resolve("lambada.jsonl");
    Files.writeString(lambada, "{\"text\": \"the cat sat\"}\n{\"text\": \"a dog ran\"}\n");
    Path report = folder.resolve("report.json");

    CommandRun run =
        CommandRun.of(
            "eval",
            "--checkpoint",
            checkpoint.toString(),
            "--task",
            lambada.toString(),
            "--task",
            choices.toString(),
            "--report",
            report.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(lines.size() - 2)).matches("acc=[01]\\.\\d{4}");
    assertThat(lines.get(lines.size() - 1)).matches("acc_norm=[01]\\.\\d{4}");
    assertThat(run.out()).contains("task choices: 2 examples, 0 shots, chance 0.4167");
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("step").asLong()).isEqualTo(3);
    assertThat(json.get("tasks")).hasSize(2);
    assertThat(json.get("tasks").get(0).get("kind").asText()).isEqualTo("target");
    assertThat(json.get("tasks").get(0).get("perplexity").asDouble()).isPositive();
    assertThat(json.get("tasks").get(1).get("chance").asDouble()).isEqualTo((0.5 + 1.0 / 3) / 2);
  }

  @Test
  void aBadTaskFileIsRefusedNamingItsLine(@TempDir Path folder) throws Exception {
    Path bad = folder.resolve("bad.jsonl");
    Files.writeString(bad, "{\"goal\": \"g\", \"sol1\": \"a\", \"sol2\": \"b\", \"label\": 5}\n");

    CommandRun run =
        CommandRun.of("eval", "--checkpoint", folder.toString(), "--task", bad.toString());

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains(bad + " line 1: \"label\" is 5, outside the 2 choices (0 to 1)");
  }
}
