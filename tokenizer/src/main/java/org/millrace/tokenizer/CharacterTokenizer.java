package org.millrace.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One id per character, as nanoGPT's {@code shakespeare_char} setup: the vocabulary is the sorted
 * set of the characters (Unicode code points) of a training text, followed by the special tokens. A
 * text with a character outside the vocabulary cannot be encoded.
 *
 * <p>It is saved as a small JSON file ({@value #TYPE}) that {@link Tokenizers#load} recognises.
 */
public final class CharacterTokenizer implements Tokenizer {

  static final String TYPE = "millrace-character-tokenizer";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final int[] codePoints;
  private final Map<Integer, Integer> idByCodePoint = new HashMap<>();
  private final List<String> specialTokens;
  private final String fingerprint;

  /**
   * @param specialTokens appended after the characters; the first must be the end-of-text token
   */
  public CharacterTokenizer(int[] sortedCodePoints, List<String> specialTokens) {
    if (specialTokens.isEmpty()) {
      throw new IllegalArgumentException(
          "a character tokenizer needs an end-of-text special token");
    }
    this.codePoints = sortedCodePoints.clone();
    for (int id = 0; id < codePoints.length; id++) {
      if (id > 0 && codePoints[id] <= codePoints[id - 1]) {
        throw new IllegalArgumentException("characters must be sorted and distinct");
      }
      idByCodePoint.put(codePoints[id], id);
    }
    this.specialTokens = List.copyOf(specialTokens);
    this.fingerprint = Fingerprints.of(toJson().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The vocabulary of nanoGPT's character-level models: every distinct character of the text,
   * sorted.
   */
  public static CharacterTokenizer train(String text, List<String> specialTokens) {
    TreeSet<Integer> characters = new TreeSet<>();
    text.codePoints().forEach(characters::add);
    return new CharacterTokenizer(
        characters.stream().mapToInt(Integer::intValue).toArray(), specialTokens);
  }

  static CharacterTokenizer fromJson(JsonNode json) {
    List<Integer> characters = new ArrayList<>();
    json.get("characters").forEach(character -> characters.add(character.asText().codePointAt(0)));
    List<String> specials = new ArrayList<>();
    json.get("special_tokens").forEach(token -> specials.add(token.asText()));
    return new CharacterTokenizer(
        characters.stream().mapToInt(Integer::intValue).toArray(), specials);
  }

  public void write(Path file) throws IOException {
    Files.writeString(file, toJson(), StandardCharsets.UTF_8);
  }

  private String toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("type", TYPE);
    json.put("version", 1);
    List<String> characters = new ArrayList<>();
    for (int codePoint : codePoints) {
      characters.add(new String(Character.toChars(codePoint)));
    }
    json.put("characters", characters);
    json.put("special_tokens", specialTokens);
    try {
      return JSON.writeValueAsString(json) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot happen for lists of strings", e);
    }
  }

  @Override
  public int vocabularySize() {
    return codePoints.length + specialTokens.size();
  }

  @Override
  public int endOfTextId() {
    return codePoints.length;
  }

  /**
   * @throws UnknownCharacterException for a character outside the vocabulary
   */
  @Override
  public int[] encode(String text) {
    return text.codePoints()
        .map(
            codePoint -> {
              Integer id = idByCodePoint.get(codePoint);
              if (id == null) {
                throw new UnknownCharacterException(codePoint);
              }
              return id;
            })
        .toArray();
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder text = new StringBuilder();
    for (int id : ids) {
      if (id < 0 || id >= vocabularySize()) {
        throw new IllegalArgumentException(
            "token id " + id + " is outside the vocabulary 0.." + (vocabularySize() - 1));
      }
      if (id < codePoints.length) {
        text.appendCodePoint(codePoints[id]);
      } else {
        text.append(specialTokens.get(id - codePoints.length));
      }
    }
    return text.toString();
  }

  @Override
  public java.util.OptionalInt specialTokenId(String token) {
    int index = specialTokens.indexOf(token);
    return index < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(codePoints.length + index);
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public String toString() {
    return "character tokenizer (" + vocabularySize() + " ids, fingerprint " + fingerprint + ")";
  }

  /** A text holds a character the vocabulary does not. */
  public static final class UnknownCharacterException extends IllegalArgumentException {
    UnknownCharacterException(int codePoint) {
      super(
          String.format(
              "character U+%04X (%s) is not in the vocabulary",
              codePoint, new String(Character.toChars(codePoint))));
    }
  }
}
