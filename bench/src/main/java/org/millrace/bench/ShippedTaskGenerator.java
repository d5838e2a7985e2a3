package org.millrace.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes the evaluation tasks shipped in the trainer's resources ({@code
 * org/millrace/trainer/eval/tasks/}); run once, by hand, and its output committed
 * (docs/evaluation.md):
 *
 * <pre>
 * ./mvnw -B -DskipTests package -pl bench -am
 * java -cp "bench/target/millrace-bench.jar:bench/target/lib/*:cli/target/lib/*" \
 *     org.millrace.bench.ShippedTaskGenerator \
 *     /path/to/tinyshakespeare/input.txt trainer/src/main/resources/org/millrace/trainer/eval/tasks
 * </pre>
 *
 * <ul>
 *   <li>{@code shakespeare-cloze.jsonl}: from the last 10% of tinyshakespeare, the part {@code
 *       millrace bench shakespeare-char} validates on and never trains on. Each example is a line
 *       of a speech, not its first, after the lines before it in the same speech (its speaker's
 *       name included, at most three lines); the choices are the true line and three lines of other
 *       speeches, at least 40 lines away, of about the same length (within a quarter), so that
 *       length alone says little.
 *   <li>{@code agreement-pairs.jsonl}: BLiMP-style minimal pairs of subject-verb agreement from
 *       templates in Shakespeare's vocabulary: a subject, sometimes followed by an attractor of the
 *       other number (a prepositional phrase or a relative clause), then a verb that agrees
 *       (sentence_good) or does not (sentence_bad). Half the subjects are singular.
 *   <li>{@code shakespeare-word-order.jsonl}: BLiMP-style pairs of a held-out line (as for the
 *       cloze task) and the same words shuffled.
 * </ul>
 */
public final class ShippedTaskGenerator {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SEED = 1337;
  private static final int CLOZE_EXAMPLES = 500;

  private ShippedTaskGenerator() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: ShippedTaskGenerator TINYSHAKESPEARE_TEXT OUTPUT_FOLDER");
      System.exit(2);
    }
    String text = Files.readString(Path.of(args[0]));
    Path folder = Files.createDirectories(Path.of(args[1]));
    write(folder.resolve("shakespeare-cloze.jsonl"), shakespeareCloze(text));
    write(folder.resolve("agreement-pairs.jsonl"), agreementPairs());
    write(folder.resolve("shakespeare-word-order.jsonl"), shakespeareWordOrder(text));
  }

  /** The cloze examples of the held-out tenth of {@code text}. */
  static List<Map<String, Object>> shakespeareCloze(String text) {
    // the split of BenchShakespeareCommand: one token per character, the first 90% trains
    String heldOut = text.substring((int) (text.length() * 0.9));
    // start at a line boundary: the first line may be cut
    heldOut = heldOut.substring(heldOut.indexOf('\n') + 1);
    String[] lines = heldOut.split("\n", -1);
    List<Integer> candidates = new ArrayList<>();
    List<Integer> speechLines = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      if (isSpeech(lines[i])) {
        speechLines.add(i);
        if (lines[i].length() >= 15 && lines[i].length() <= 60 && isSpeech(lines[i - 1])) {
          candidates.add(i);
        }
      }
    }
    Random random = new Random(SEED);
    Collections.shuffle(candidates, random);
    List<Map<String, Object>> examples = new ArrayList<>();
    for (int line : candidates) {
      if (examples.size() == CLOZE_EXAMPLES) {
        break;
      }
      String truth = lines[line];
      List<String> distractors = new ArrayList<>();
      for (int attempt = 0; attempt < 10_000 && distractors.size() < 3; attempt++) {
        int other = speechLines.get(random.nextInt(speechLines.size()));
        String candidate = lines[other];
        if (Math.abs(other - line) >= 40
            && Math.abs(candidate.length() - truth.length()) <= truth.length() / 4
            && !candidate.equals(truth)
            && !distractors.contains(candidate)) {
          distractors.add(candidate);
        }
      }
      if (distractors.size() < 3) {
        continue;
      }
      List<String> context = new ArrayList<>();
      for (int before = line - 1; before >= Math.max(0, line - 3); before--) {
        if (lines[before].isBlank()) {
          break;
        }
        context.add(0, lines[before]);
        if (lines[before].endsWith(":")) {
          break; // the speaker's name starts the speech
        }
      }
      int gold = random.nextInt(4);
      List<String> choices = new ArrayList<>(distractors);
      choices.add(gold, truth);
      Map<String, Object> example = new LinkedHashMap<>();
      example.put("context", String.join("\n", context));
      example.put("choices", choices);
      example.put("gold", gold);
      example.put("delimiter", "\n");
      examples.add(example);
    }
    return examples;
  }

  /**
   * Pairs of a held-out line and the same words in a shuffled order (300, from the same tenth of
   * the text as the cloze task): a model that has learnt anything of the language's word order
   * prefers the line as written.
   */
  static List<Map<String, Object>> shakespeareWordOrder(String text) {
    String heldOut = text.substring((int) (text.length() * 0.9));
    heldOut = heldOut.substring(heldOut.indexOf('\n') + 1);
    List<String> lines = new ArrayList<>();
    for (String line : heldOut.split("\n")) {
      if (isSpeech(line)
          && line.length() >= 20
          && line.length() <= 60
          && line.split(" ").length >= 4) {
        lines.add(line);
      }
    }
    Random random = new Random(SEED);
    Collections.shuffle(lines, random);
    List<Map<String, Object>> pairs = new ArrayList<>();
    for (String line : lines) {
      if (pairs.size() == 300) {
        break;
      }
      List<String> words = new ArrayList<>(List.of(line.split(" ")));
      Collections.shuffle(words, random);
      String shuffled = String.join(" ", words);
      if (shuffled.equals(line)) {
        continue;
      }
      Map<String, Object> pair = new LinkedHashMap<>();
      pair.put("sentence_good", line);
      pair.put("sentence_bad", shuffled);
      pairs.add(pair);
    }
    return pairs;
  }

  /** A line someone says: not blank, not a speaker's name ("ROMEO:"). */
  private static boolean isSpeech(String line) {
    return !line.isBlank() && !line.endsWith(":");
  }

  private record Noun(String singular, String plural) {}

  private record Verb(String singular, String plural, String rest) {}

  private static final List<Noun> NOUNS =
      List.of(
          new Noun("king", "kings"),
          new Noun("lord", "lords"),
          new Noun("queen", "queens"),
          new Noun("man", "men"),
          new Noun("woman", "women"),
          new Noun("servant", "servants"),
          new Noun("soldier", "soldiers"),
          new Noun("friend", "friends"),
          new Noun("daughter", "daughters"),
          new Noun("citizen", "citizens"),
          new Noun("duke", "dukes"),
          new Noun("brother", "brothers"));

  private static final List<Verb> VERBS =
      List.of(
          new Verb("is", "are", "here"),
          new Verb("was", "were", "gone"),
          new Verb("hath", "have", "spoken"),
          new Verb("doth", "do", "weep"),
          new Verb("comes", "come", "to the court"),
          new Verb("speaks", "speak", "of war"),
          new Verb("loves", "love", "the prince"),
          new Verb("knows", "know", "the truth"));

  /** 100 pairs of each template: plain, across a prepositional phrase, across a relative clause. */
  static List<Map<String, Object>> agreementPairs() {
    Random random = new Random(SEED);
    List<Map<String, Object>> pairs = new ArrayList<>();
    for (int template = 0; template < 3; template++) {
      for (int i = 0; i < 100; i++) {
        boolean singular = i % 2 == 0;
        Noun subject = NOUNS.get(random.nextInt(NOUNS.size()));
        Noun attractor = NOUNS.get(random.nextInt(NOUNS.size()));
        Verb verb = VERBS.get(random.nextInt(VERBS.size()));
        String subjectPhrase = "The " + (singular ? subject.singular() : subject.plural());
        // the attractor takes the other number, so that the nearest noun misleads
        String attractorNoun = singular ? attractor.plural() : attractor.singular();
        String middle =
            switch (template) {
              case 0 -> "";
              case 1 -> " of the " + attractorNoun;
              default -> " that the " + attractorNoun + (singular ? " love" : " loves");
            };
        String good = singular ? verb.singular() : verb.plural();
        String bad = singular ? verb.plural() : verb.singular();
        Map<String, Object> pair = new LinkedHashMap<>();
        pair.put("sentence_good", subjectPhrase + middle + " " + good + " " + verb.rest() + ".");
        pair.put("sentence_bad", subjectPhrase + middle + " " + bad + " " + verb.rest() + ".");
        pairs.add(pair);
      }
    }
    return pairs;
  }

  private static void write(Path file, List<Map<String, Object>> records) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Map<String, Object> record : records) {
        out.write(JSON.writeValueAsString(record));
        out.write('\n');
      }
    }
    System.out.printf("%s: %d examples%n", file, records.size());
  }
}
