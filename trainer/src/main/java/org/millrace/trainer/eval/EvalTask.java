package org.millrace.trainer.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark task: its name and its examples, read from a JSONL file (one record a line, blank
 * lines skipped) or from a task shipped with Millrace, chosen by name ({@link #SHIPPED}).
 */
public record EvalTask(String name, List<TaskExample> examples) {

  /**
   * The tasks shipped in this module's resources ({@code org/millrace/trainer/eval/tasks/}),
   * generated once by the bench module's {@code ShippedTaskGenerator} (docs/evaluation.md).
   */
  public static final List<String> SHIPPED =
      List.of("shakespeare-cloze", "shakespeare-word-order", "agreement-pairs");

  private static final ObjectMapper JSON = new ObjectMapper();

  public EvalTask {
    examples = List.copyOf(examples);
  }

  /** A shipped task by name, or else the task file at {@code nameOrPath}. */
  public static EvalTask load(String nameOrPath) {
    if (SHIPPED.contains(nameOrPath)) {
      String resource = "tasks/" + nameOrPath + ".jsonl";
      try (InputStream in = EvalTask.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("the shipped task " + resource + " is missing");
        }
        return read(nameOrPath, nameOrPath, in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Path file = Path.of(nameOrPath);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          nameOrPath + " is neither a task file nor a shipped task " + SHIPPED);
    }
    String name = file.getFileName().toString().replaceFirst("\\.jsonl?$", "");
    try (InputStream in = Files.newInputStream(file)) {
      return read(name, file.toString(), in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The task {@code name} from JSONL {@code in}; errors name {@code source} and the line. */
  public static EvalTask read(String name, String source, InputStream in) throws IOException {
    TaskRecordParser parser = new TaskRecordParser(source);
    List<TaskExample> examples = new ArrayList<>();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    int lineNumber = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode record;
      try {
        record = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        throw new TaskFormatException(
            source, lineNumber, "invalid JSON: " + e.getOriginalMessage());
      }
      examples.add(parser.parse(record, lineNumber));
    }
    if (examples.isEmpty()) {
      throw new TaskFormatException(source, 0, "no examples (the file is empty)");
    }
    boolean multipleChoice = examples.get(0) instanceof MultipleChoiceExample;
    for (TaskExample example : examples) {
      if ((example instanceof MultipleChoiceExample) != multipleChoice) {
        throw new TaskFormatException(
            source,
            example.line(),
            "mixes multiple-choice and single-target (LAMBADA) records; a task holds one kind");
      }
    }
    return new EvalTask(name, examples);
  }

  /** Whether the examples are multiple-choice (else single-target, as LAMBADA's). */
  public boolean multipleChoice() {
    return examples.get(0) instanceof MultipleChoiceExample;
  }

  /**
   * The first {@code limit} examples (all of them when {@code limit} is 0 or more than there are).
   */
  public EvalTask limit(int limit) {
    return limit <= 0 || limit >= examples.size()
        ? this
        : new EvalTask(name, examples.subList(0, limit));
  }
}
