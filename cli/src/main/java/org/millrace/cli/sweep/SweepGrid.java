package org.millrace.cli.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The points of a sweep: every model size with every token budget, numbered sizes first, so that
 * machines can split them by number ({@code --point}, {@code --shard I/K}).
 */
public final class SweepGrid {

  private final List<SweepPoint> points = new ArrayList<>();

  public SweepGrid(List<String> sizes, List<String> budgets) {
    if (sizes.isEmpty() || budgets.isEmpty()) {
      throw new IllegalArgumentException("a sweep needs at least one size and one token budget");
    }
    for (String size : sizes) {
      if (!size.matches("[a-z][a-z0-9]*|[1-9][0-9]*x[1-9][0-9]*")) {
        throw new IllegalArgumentException(
            "model size '" + size + "': a preset (tiny, small, ...) or LAYERSxWIDTH, as 2x64");
      }
    }
    for (String size : sizes) {
      for (String budget : budgets) {
        points.add(new SweepPoint(points.size(), size, tokens(budget)));
      }
    }
  }

  public List<SweepPoint> points() {
    return List.copyOf(points);
  }

  /** Point {@code index}. */
  public SweepPoint point(int index) {
    if (index < 0 || index >= points.size()) {
      throw new IllegalArgumentException(
          "--point " + index + ": the grid has points 0 to " + (points.size() - 1));
    }
    return points.get(index);
  }

  /**
   * Shard {@code shard} of {@code count} ({@code I/K}): the points whose index is {@code I} modulo
   * {@code K}, so that K machines given 0/K to K-1/K train every point once.
   */
  public List<SweepPoint> shard(String spec) {
    String[] parts = spec.split("/");
    int shard;
    int count;
    try {
      shard = Integer.parseInt(parts[0]);
      count = Integer.parseInt(parts[1]);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--shard " + spec + ": expected I/K, as 0/2");
    }
    if (parts.length != 2 || count < 1 || shard < 0 || shard >= count) {
      throw new IllegalArgumentException(
          "--shard " + spec + ": expected I/K with 0 <= I < K, as 0/2 and 1/2");
    }
    return points.stream().filter(point -> point.index() % count == shard).toList();
  }

  /** A token count: digits, with an optional k (thousand), M (million) or G (billion). */
  static long tokens(String text) {
    String lower = text.strip().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (lower.endsWith("k")) {
      unit = 1_000;
    } else if (lower.endsWith("m")) {
      unit = 1_000_000;
    } else if (lower.endsWith("g")) {
      unit = 1_000_000_000;
    }
    String digits = unit == 1 ? lower : lower.substring(0, lower.length() - 1);
    try {
      long tokens = Math.multiplyExact(Long.parseLong(digits), unit);
      if (tokens > 0) {
        return tokens;
      }
    } catch (RuntimeException e) {
      // the message below
    }
    throw new IllegalArgumentException(
        "token budget '" + text + "': a positive count, as 200000, 200k or 1M");
  }
}
