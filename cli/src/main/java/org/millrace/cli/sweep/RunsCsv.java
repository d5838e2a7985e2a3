package org.millrace.cli.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table of runs in CSV: a header line naming the columns, then one run a line. {@code params},
 * {@code tokens} and {@code loss} are required; other columns (a sweep writes {@code run_id},
 * {@code model}, …) are kept for whoever reads them and ignored by the fit. No quoting: no field of
 * ours holds a comma.
 */
public final class RunsCsv {

  /** The columns a fit needs. */
  public static final List<String> REQUIRED = List.of("params", "tokens", "loss");

  /** One line of the table, with its line number for error messages. */
  public record Row(Path file, int line, Map<String, String> fields) {

    double number(String column) {
      String text = fields.get(column);
      double value;
      try {
        value = Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw error(file, line, column + " '" + text + "' is not a number");
      }
      if (!(value > 0) || !Double.isFinite(value)) {
        throw error(file, line, column + " must be positive and finite, got " + text);
      }
      return value;
    }
  }

  private RunsCsv() {}

  /** Every row of {@code file}; blank lines are skipped. */
  public static List<Row> rows(Path file) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": no such file");
    }
    if (lines.isEmpty() || lines.get(0).isBlank()) {
      throw error(file, 1, "empty; the first line must be a header naming " + REQUIRED);
    }
    List<String> header = Arrays.stream(lines.get(0).split(",", -1)).map(String::strip).toList();
    List<String> missing = REQUIRED.stream().filter(column -> !header.contains(column)).toList();
    if (!missing.isEmpty()) {
      throw error(
          file,
          1,
          "the header must name the columns "
              + REQUIRED
              + " (any order, others allowed); missing "
              + missing
              + " in '"
              + lines.get(0)
              + "'");
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String[] values = line.split(",", -1);
      if (values.length != header.size()) {
        throw error(
            file,
            i + 1,
            values.length + " fields where the header has " + header.size() + ": '" + line + "'");
      }
      Map<String, String> fields = new LinkedHashMap<>();
      for (int c = 0; c < values.length; c++) {
        fields.put(header.get(c), values[c].strip());
      }
      rows.add(new Row(file, i + 1, fields));
    }
    return rows;
  }

  /** The runs of {@code file}, each line checked. */
  public static List<ScalingRun> scalingRuns(Path file) throws IOException {
    List<ScalingRun> runs = new ArrayList<>();
    for (Row row : rows(file)) {
      runs.add(new ScalingRun(row.number("params"), row.number("tokens"), row.number("loss")));
    }
    return runs;
  }

  private static IllegalArgumentException error(Path file, int line, String message) {
    return new IllegalArgumentException(file + " line " + line + ": " + message);
  }
}
