package org.millrace.trainer.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One JSON record of a task file, in the shape users already have, as the text
 * lm-evaluation-harness makes of it (its task configurations under {@code lm_eval/tasks/}):
 *
 * <ul>
 *   <li>HellaSwag ({@code ctx_a}, {@code ctx_b} or {@code ctx}, {@code endings}, {@code label},
 *       optional {@code activity_label}): {@code activity_label + ": " + ctx_a + " " +
 *       capitalize(ctx_b)}, each piece cleaned of WikiHow's bracketed artefacts ({@code
 *       hellaswag/utils.py});
 *   <li>ARC ({@code question}, {@code choices.text}, {@code choices.label}, {@code answerKey}):
 *       {@code "Question: " + question + "\nAnswer:"};
 *   <li>PIQA ({@code goal}, {@code sol1}, {@code sol2}, {@code label}): {@code "Question: " + goal
 *       + "\nAnswer:"};
 *   <li>BLiMP ({@code sentence_good}, {@code sentence_bad}): no context, the good sentence is the
 *       right choice;
 *   <li>LAMBADA ({@code text}): every word but the last, then a space and the last word as the
 *       target ({@code lambada_openai.yaml});
 *   <li>generic ({@code context}, {@code choices}, {@code gold}, optional {@code delimiter}, by
 *       default a space).
 * </ul>
 */
public final class TaskRecordParser {

  private static final Pattern BRACKETED = Pattern.compile("\\[.*?\\]");

  private final String source;

  /** A parser whose errors name {@code source} (the task file). */
  public TaskRecordParser(String source) {
    this.source = source;
  }

  /** The example of {@code record}, found on {@code line} of the file. */
  public TaskExample parse(JsonNode record, int line) {
    if (!record.isObject()) {
      throw error(line, "a JSON object expected, found " + record.getNodeType());
    }
    if (record.has("endings")) {
      return hellaSwag(record, line);
    }
    if (record.has("answerKey")) {
      return arc(record, line);
    }
    if (record.has("sol1")) {
      return piqa(record, line);
    }
    if (record.has("sentence_good")) {
      return new MultipleChoiceExample(
          "",
          List.of(text(record, "sentence_good", line), text(record, "sentence_bad", line)),
          0,
          TaskExample.TARGET_DELIMITER,
          line);
    }
    if (record.has("gold")) {
      List<String> choices = texts(record, "choices", line);
      String delimiter =
          record.has("delimiter") ? text(record, "delimiter", line) : TaskExample.TARGET_DELIMITER;
      return new MultipleChoiceExample(
          text(record, "context", line),
          atLeastTwo(choices, line),
          index(record, "gold", choices.size(), line),
          delimiter,
          line);
    }
    if (record.has("text")) {
      return lambada(record, line);
    }
    throw error(
        line,
        "unknown record shape with fields "
            + fieldNames(record)
            + "; expected HellaSwag (ctx, endings, label), ARC (question, choices, answerKey),"
            + " PIQA (goal, sol1, sol2, label), BLiMP (sentence_good, sentence_bad), LAMBADA"
            + " (text) or generic (context, choices, gold)");
  }

  private TaskExample hellaSwag(JsonNode record, int line) {
    String context;
    if (record.has("ctx_a")) {
      String b = text(record, "ctx_b", line);
      context =
          text(record, "ctx_a", line)
              + " "
              + (b.isEmpty()
                  ? b
                  : b.substring(0, 1).toUpperCase(Locale.ROOT)
                      + b.substring(1).toLowerCase(Locale.ROOT));
    } else {
      context = text(record, "ctx", line);
    }
    if (record.has("activity_label")) {
      context = text(record, "activity_label", line) + ": " + context;
    }
    List<String> endings = new ArrayList<>();
    for (String ending : texts(record, "endings", line)) {
      endings.add(cleanHellaSwag(ending));
    }
    return multipleChoice(
        cleanHellaSwag(context), endings, index(record, "label", endings.size(), line), line);
  }

  /** HellaSwag's {@code preprocess}: WikiHow's " [title]" becomes ". ", other brackets go. */
  static String cleanHellaSwag(String text) {
    String cleaned = text.strip().replace(" [title]", ". ");
    cleaned = BRACKETED.matcher(cleaned).replaceAll("");
    return cleaned.replace("  ", " ");
  }

  private TaskExample arc(JsonNode record, int line) {
    JsonNode choices = record.get("choices");
    if (choices == null || !choices.isObject()) {
      throw error(line, "\"choices\" must be an object with \"text\" and \"label\" lists");
    }
    List<String> texts = texts(choices, "text", line);
    List<String> labels = texts(choices, "label", line);
    if (labels.size() != texts.size()) {
      throw error(
          line,
          "choices.label has " + labels.size() + " labels for " + texts.size() + " choices.text");
    }
    String answer = text(record, "answerKey", line);
    int gold = labels.indexOf(answer);
    if (gold < 0) {
      throw error(line, "answerKey \"" + answer + "\" is not one of choices.label " + labels);
    }
    return multipleChoice(
        "Question: " + text(record, "question", line) + "\nAnswer:", texts, gold, line);
  }

  private TaskExample piqa(JsonNode record, int line) {
    return multipleChoice(
        "Question: " + text(record, "goal", line) + "\nAnswer:",
        List.of(text(record, "sol1", line), text(record, "sol2", line)),
        index(record, "label", 2, line),
        line);
  }

  private TaskExample lambada(JsonNode record, int line) {
    String text = text(record, "text", line);
    int lastSpace = text.lastIndexOf(' ');
    if (lastSpace <= 0 || lastSpace == text.length() - 1) {
      throw error(
          line, "\"text\" needs at least two words separated by a space, the last one the target");
    }
    return new TargetExample(text.substring(0, lastSpace), text.substring(lastSpace), line);
  }

  private MultipleChoiceExample multipleChoice(
      String context, List<String> choices, int gold, int line) {
    return new MultipleChoiceExample(
        context, atLeastTwo(choices, line), gold, TaskExample.TARGET_DELIMITER, line);
  }

  private List<String> atLeastTwo(List<String> choices, int line) {
    if (choices.size() < 2) {
      throw error(line, "at least 2 choices needed, found " + choices.size());
    }
    return choices;
  }

  private String text(JsonNode record, String field, int line) {
    JsonNode value = record.get(field);
    if (value == null || value.isNull()) {
      throw error(line, "missing field \"" + field + "\"");
    }
    if (!value.isTextual()) {
      throw error(line, "\"" + field + "\" must be a string, found " + value.getNodeType());
    }
    return value.asText();
  }

  private List<String> texts(JsonNode record, String field, int line) {
    JsonNode value = record.get(field);
    if (value == null || value.isNull()) {
      throw error(line, "missing field \"" + field + "\"");
    }
    if (!value.isArray()) {
      throw error(
          line, "\"" + field + "\" must be a list of strings, found " + value.getNodeType());
    }
    List<String> texts = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw error(line, "\"" + field + "\" must hold strings, found " + item.getNodeType());
      }
      texts.add(item.asText());
    }
    return texts;
  }

  /** An answer index: a number or a string of digits (HellaSwag's labels are strings). */
  private int index(JsonNode record, String field, int choices, int line) {
    JsonNode value = record.get(field);
    if (value == null || value.isNull()) {
      throw error(line, "missing field \"" + field + "\"");
    }
    int index;
    if (value.isIntegralNumber()) {
      index = value.asInt();
    } else if (value.isTextual() && value.asText().matches("\\d{1,9}")) {
      index = Integer.parseInt(value.asText());
    } else {
      throw error(line, "\"" + field + "\" must be a whole number, found " + value);
    }
    if (index < 0 || index >= choices) {
      throw error(
          line,
          "\""
              + field
              + "\" is "
              + index
              + ", outside the "
              + choices
              + " choices (0 to "
              + (choices - 1)
              + ")");
    }
    return index;
  }

  private static List<String> fieldNames(JsonNode record) {
    List<String> names = new ArrayList<>();
    record.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private TaskFormatException error(int line, String problem) {
    return new TaskFormatException(source, line, problem);
  }
}
