package org.millrace.processors.filter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigException;
import org.millrace.processors.clean.CleanKeys;
import org.millrace.runtime.config.MillraceConfig;

/**
 * Every filter the clean stage knows, by the name {@code filters.chain} gives it, and the chains
 * built from the configuration.
 */
public final class Filters {

  private Filters() {}

  /**
   * A filter: its name, its published settings, and how to make one from settings.
   *
   * @param <S> its Settings record
   */
  public record Definition<S extends Record>(
      String name, S defaults, Function<S, DocumentFilter> create) {

    /** The filter with the defaults replaced by the {@code filters.<name>.*} keys in values. */
    public DocumentFilter build(Map<String, String> values) {
      return create.apply(FilterParameters.bind(name, defaults, values));
    }
  }

  /** In FineWeb's order, which is the default chain's. */
  public static final List<Definition<?>> ALL =
      List.of(
          new Definition<>("url", UrlFilter.ListFiles.DEFAULTS, UrlFilter.ListFiles::read),
          new Definition<>("language", LanguageFilter.Settings.DEFAULTS, LanguageFilter::new),
          new Definition<>(
              "gopher_repetition",
              GopherRepetitionFilter.Settings.DEFAULTS,
              GopherRepetitionFilter::new),
          new Definition<>(
              "gopher_quality", GopherQualityFilter.Settings.DEFAULTS, GopherQualityFilter::new),
          new Definition<>("c4_quality", C4QualityFilter.Settings.DEFAULTS, C4QualityFilter::new),
          new Definition<>(
              "fineweb_quality", FineWebQualityFilter.Settings.DEFAULTS, FineWebQualityFilter::new),
          new Definition<>("pii", PiiRedactor.Settings.DEFAULTS, PiiRedactor::new),
          new Definition<>(
              "code_quality", CodeQualityFilter.Settings.DEFAULTS, CodeQualityFilter::new));

  public static Definition<?> named(String name) {
    return ALL.stream()
        .filter(definition -> definition.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new ConfigException(
                    "unknown filter '"
                        + name
                        + "'; the filters are "
                        + String.join(", ", ALL.stream().map(Definition::name).toList())));
  }

  /**
   * The chains {@code filters.chain} and {@code filters.code.chain} name, with their parameters.
   *
   * @throws ConfigException for an unknown filter, a filter named twice in a chain, or a {@code
   *     filters.*} key that is no parameter of a known filter
   */
  public static FilterChain chain(MillraceConfig config) {
    Map<String, String> parameters = config.filterParameters();
    for (String key : parameters.keySet()) {
      if (ALL.stream().noneMatch(d -> key.startsWith(FilterParameters.prefixOf(d.name())))) {
        throw new ConfigException(
            "unknown configuration key '"
                + key
                + "' (from "
                + config.originOf(key)
                + "): no filter has it; docs/filters.md lists every filter and parameter");
      }
    }
    // every filter's parameters are checked, also those of filters the chains leave out
    ALL.forEach(
        definition -> FilterParameters.bind(definition.name(), definition.defaults(), parameters));
    return new FilterChain(
        build(config.getList(CleanKeys.FILTERS_CHAIN), CleanKeys.FILTERS_CHAIN, parameters),
        build(
            config.getList(CleanKeys.FILTERS_CODE_CHAIN),
            CleanKeys.FILTERS_CODE_CHAIN,
            parameters));
  }

  private static List<DocumentFilter> build(
      List<String> names, String key, Map<String, String> parameters) {
    Set<String> seen = new LinkedHashSet<>();
    List<DocumentFilter> filters = new ArrayList<>();
    for (String name : names) {
      if (!seen.add(name)) {
        throw new ConfigException(key, names, "names the filter '" + name + "' twice");
      }
      filters.add(named(name).build(parameters));
    }
    return filters;
  }
}
