package org.millrace.cli;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects, found by regular expressions rather than a parser:
 * strings, label matchers ({@code {...}}), ranges ({@code [...]}), label lists of {@code by},
 * {@code on} and the like, and Grafana's {@code $variables} are removed; of the identifiers left,
 * those followed by {@code (} are functions or aggregations, a few are keywords, and the rest are
 * metric names. Good enough for the expressions of our dashboard and alert rules, which the tests
 * also give to promtool and Prometheus.
 */
public final class PromQlMetricNames {

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'");
  private static final Pattern BRACES = Pattern.compile("\\{[^{}]*}|\\[[^\\[\\]]*]");
  private static final Pattern LABEL_LIST =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\w+");
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w:.])([a-zA-Z_:][\\w:]*)(\\s*\\()?");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "inf", "nan", "atan2");

  private PromQlMetricNames() {}

  static Set<String> of(String expression) {
    String rest = STRING.matcher(expression).replaceAll(" ");
    rest = BRACES.matcher(rest).replaceAll(" ");
    rest = LABEL_LIST.matcher(rest).replaceAll(" ");
    rest = VARIABLE.matcher(rest).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher identifier = IDENTIFIER.matcher(rest);
    while (identifier.find()) {
      String name = identifier.group(1);
      boolean called = identifier.group(2) != null;
      if (!called && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        names.add(name);
      }
    }
    return names;
  }
}
