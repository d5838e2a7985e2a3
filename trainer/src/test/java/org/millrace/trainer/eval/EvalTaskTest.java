package org.millrace.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each record shape as the harness makes text of it, and the errors bad task files get. */
class EvalTaskTest {

  static EvalTask read(String... lines) throws IOException {
    byte[] bytes = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    return EvalTask.read("t", "tasks.jsonl", new ByteArrayInputStream(bytes));
  }

  static MultipleChoiceExample only(EvalTask task) {
    assertThat(task.examples()).hasSize(1);
    return (MultipleChoiceExample) task.examples().get(0);
  }

  @Test
  void hellaSwagJoinsTheContextsCapitalisesTheSecondAndCleansWikiHowBrackets() throws IOException {
    MultipleChoiceExample example =
        only(
            read(
                "{\"activity_label\": \"Baking cookies\", \"ctx_a\": \"A woman mixes dough.\","
                    + " \"ctx_b\": \"she\", \"ctx\": \"ignored\", \"endings\": [\"rolls it [header]"
                    + " out.\", \"eats it.\", \"Mix. [title] Bake it.\", \"x.\"], \"label\":"
                    + " \"2\"}"));

    assertThat(example.context()).isEqualTo("Baking cookies: A woman mixes dough. She");
    assertThat(example.choices())
        .containsExactly("rolls it out.", "eats it.", "Mix.. Bake it.", "x.");
    assertThat(example.gold()).isEqualTo(2);
    assertThat(example.continuation(1)).isEqualTo(" eats it.");
  }

  @Test
  void hellaSwagWithCtxAlone() throws IOException {
    MultipleChoiceExample example =
        only(read("{\"ctx\": \"Then he\", \"endings\": [\"a\", \"b\"], \"label\": 1}"));

    assertThat(example.context()).isEqualTo("Then he");
    assertThat(example.gold()).isEqualTo(1);
  }

  @Test
  void arcAsksAQuestionAndFindsTheAnswerKeyAmongTheLabels() throws IOException {
    MultipleChoiceExample example =
        only(
            read(
                "{\"question\": \"What melts ice?\", \"choices\": {\"text\": [\"cold\", \"heat\","
                    + " \"salt water\"], \"label\": [\"A\", \"B\", \"C\"]}, \"answerKey\":"
                    + " \"B\"}"));

    assertThat(example.context()).isEqualTo("Question: What melts ice?\nAnswer:");
    assertThat(example.choices()).containsExactly("cold", "heat", "salt water");
    assertThat(example.gold()).isEqualTo(1);
  }

  @Test
  void piqaAsksForTheGoalsSolution() throws IOException {
    MultipleChoiceExample example =
        only(
            read(
                "{\"goal\": \"Open a jar\", \"sol1\": \"twist\", \"sol2\": \"bite\", \"label\":"
                    + " 0}"));

    assertThat(example.context()).isEqualTo("Question: Open a jar\nAnswer:");
    assertThat(example.choices()).containsExactly("twist", "bite");
    assertThat(example.gold()).isZero();
  }

  @Test
  void blimpScoresBothSentencesWithoutContextTheGoodOneRight() throws IOException {
    MultipleChoiceExample example =
        only(read("{\"sentence_good\": \"Cats run.\", \"sentence_bad\": \"Cats runs.\"}"));

    assertThat(example.context()).isEmpty();
    assertThat(example.choices()).containsExactly("Cats run.", "Cats runs.");
    assertThat(example.gold()).isZero();
  }

  @Test
  void lambadaPredictsTheLastWordWithItsSpace() throws IOException {
    EvalTask task = read("{\"text\": \"he opened the door\"}");

    TargetExample example = (TargetExample) task.examples().get(0);
    assertThat(task.multipleChoice()).isFalse();
    assertThat(example.context()).isEqualTo("he opened the");
    assertThat(example.target()).isEqualTo(" door");
  }

  @Test
  void genericRecordsTakeAnOptionalDelimiterAndSkipBlankLines() throws IOException {
    EvalTask task =
        read(
            "{\"context\": \"1 + 1 =\", \"choices\": [\"2\", \"3\"], \"gold\": 0}",
            "",
            "{\"context\": \"To be\", \"choices\": [\"or not\", \"and\"], \"gold\": 0,"
                + " \"delimiter\": \"\\n\"}");

    assertThat(task.examples()).hasSize(2);
    assertThat(((MultipleChoiceExample) task.examples().get(0)).continuation(0)).isEqualTo(" 2");
    assertThat(((MultipleChoiceExample) task.examples().get(1)).continuation(0))
        .isEqualTo("\nor not");
    assertThat(task.examples().get(1).line()).isEqualTo(3);
  }

  @Test
  void fewShotPutsOtherSolvedExamplesFirstTheSameForTheSameSeed() throws IOException {
    EvalTask task =
        read(
            "{\"context\": \"A\", \"choices\": [\"a\", \"x\"], \"gold\": 0}",
            "{\"context\": \"B\", \"choices\": [\"x\", \"b\"], \"gold\": 1}",
            "{\"context\": \"C\", \"choices\": [\"c\", \"x\"], \"gold\": 0}");

    List<TaskExample> once = new FewShotSampler(2, 7).apply(task);
    List<TaskExample> again = new FewShotSampler(2, 7).apply(task);

    assertThat(once).isEqualTo(again);
    // the two others, solved, in some order, then the example itself
    String first = once.get(0).context();
    assertThat(first).endsWith("\n\nA").contains("B b").contains("C c").doesNotContain("A a");
    assertThatThrownBy(() -> new FewShotSampler(3, 7).apply(task))
        .hasMessageContaining("too few for 3 shots");
  }

  @Test
  void theShippedTasksLoadByName() {
    EvalTask cloze = EvalTask.load("shakespeare-cloze");
    EvalTask pairs = EvalTask.load("agreement-pairs");

    assertThat(cloze.examples()).hasSize(500);
    assertThat(cloze.multipleChoice()).isTrue();
    assertThat(((MultipleChoiceExample) cloze.examples().get(0)).choices()).hasSize(4);
    assertThat(pairs.examples()).hasSize(300);
    assertThat(EvalTask.load("shakespeare-word-order").examples()).hasSize(300);
    assertThat(pairs.limit(10).examples()).hasSize(10);
  }

  @Test
  void aFileIsReadByPathAndNamedAfterIt(@TempDir Path folder) throws IOException {
    Path file = folder.resolve("mine.jsonl");
    Files.writeString(file, "{\"text\": \"a b\"}\n");

    assertThat(EvalTask.load(file.toString()).name()).isEqualTo("mine");
    assertThatThrownBy(() -> EvalTask.load(folder.resolve("none.jsonl").toString()))
        .hasMessageContaining("neither a task file nor a shipped task");
  }

  @Test
  void badInputIsRefusedNamingTheFileAndTheLine() {
    String good = "{\"context\": \"c\", \"choices\": [\"a\", \"b\"], \"gold\": 0}";
    assertThatThrownBy(() -> read(good, "{\"question\": \"q\", \"foo\": 1}"))
        .hasMessageStartingWith(
            "tasks.jsonl line 2: unknown record shape with fields [question, foo]");
    assertThatThrownBy(
            () -> read(good, "{\"context\": \"c\", \"choices\": [\"a\", \"b\"], \"gold\": 2}"))
        .hasMessage("tasks.jsonl line 2: \"gold\" is 2, outside the 2 choices (0 to 1)");
    assertThatThrownBy(() -> read("{\"goal\": \"g\", \"sol1\": \"a\", \"label\": 0}"))
        .hasMessage("tasks.jsonl line 1: missing field \"sol2\"");
    assertThatThrownBy(() -> read(good, good, "{\"context\": \"c\", \"choices\": [\"a\""))
        .hasMessageStartingWith("tasks.jsonl line 3: invalid JSON");
    assertThatThrownBy(() -> read("", "  "))
        .hasMessage("tasks.jsonl: no examples (the file is empty)");
    assertThatThrownBy(
            () ->
                read(
                    "{\"question\": \"q\", \"choices\": {\"text\": [\"a\", \"b\"], \"label\":"
                        + " [\"A\", \"B\"]}, \"answerKey\": \"E\"}"))
        .hasMessage("tasks.jsonl line 1: answerKey \"E\" is not one of choices.label [A, B]");
    assertThatThrownBy(
            () -> read("{\"ctx\": \"c\", \"endings\": [\"a\", \"b\"], \"label\": \"x\"}"))
        .hasMessageContaining("line 1: \"label\" must be a whole number");
    assertThatThrownBy(() -> read("[1, 2]")).hasMessageContaining("line 1: a JSON object expected");
    assertThatThrownBy(() -> read("{\"text\": \"oneword\"}"))
        .hasMessageContaining("line 1: \"text\" needs at least two words");
    assertThatThrownBy(() -> read(good, "{\"text\": \"a b\"}"))
        .hasMessageContaining("line 2: mixes multiple-choice and single-target");
    assertThatThrownBy(() -> read("{\"context\": \"c\", \"choices\": [\"a\"], \"gold\": 0}"))
        .hasMessageContaining("line 1: at least 2 choices needed, found 1");
  }
}
