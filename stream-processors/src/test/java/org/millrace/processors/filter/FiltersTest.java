package org.millrace.processors.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.millrace.processors.clean.CleanKeys;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.schemas.reject.Rejection.FilterDrop;

class FiltersTest {

  /** Twelve words of prose: Gopher's 50-word minimum drops it, a lower one keeps it. */
  private static final String SHORT = "The cat sat on the mat and looked at the dog with care.";

  @Test
  void everySettingsComponentIsAKeyWithThePublishedDefault() {
    Map<String, String> defaults =
        FilterParameters.defaults("gopher_quality", GopherQualityFilter.Settings.DEFAULTS);
    assertThat(defaults)
        .containsEntry("filters.gopher.quality.min.words", "50")
        .containsEntry("filters.gopher.quality.max.mean.word.length", "10.0")
        .containsEntry("filters.gopher.quality.stop.words", "and,be,have,of,that,the,to,with");
    for (Filters.Definition<?> definition : Filters.ALL) {
      assertThat(FilterParameters.defaults(definition.name(), definition.defaults()))
          .as("every parameter of %s can be written and read back", definition.name())
          .allSatisfy(
              (key, value) ->
                  assertThat(
                          FilterParameters.bind(
                              definition.name(), definition.defaults(), Map.of(key, value)))
                      .isEqualTo(definition.defaults()));
    }
  }

  @Test
  void aParameterInTheConfigurationChangesWhatTheChainKeeps() {
    FilterChain published = chain("gopher_quality");
    FilterChain lenient = chain("gopher_quality", "filters.gopher.quality.min.words", "10");

    FilterDrop drop = published.run(FilterDocument.ofText(SHORT)).orElseThrow();
    assertThat(drop.filter()).isEqualTo("gopher_quality");
    assertThat(drop.measured()).isEqualTo(13);
    assertThat(drop.threshold()).isEqualTo(50);
    assertThat(lenient.run(FilterDocument.ofText(SHORT))).isEmpty();
  }

  @Test
  void theChainRunsInTheConfiguredOrderAndStopsAtTheFirstDrop() {
    FilterChain chain = chain("fineweb_quality,gopher_quality");
    FilterDocument document = FilterDocument.ofText(SHORT);
    assertThat(chain.run(document).orElseThrow().filter()).isEqualTo("gopher_quality");
    assertThat(document.signals().keySet().iterator().next()).startsWith("fineweb_quality.");

    FilterDocument inspected = FilterDocument.ofText(SHORT);
    assertThat(chain("gopher_quality,fineweb_quality").runAll(inspected))
        .extracting(FilterChain.Step::filter)
        .containsExactly("gopher_quality", "fineweb_quality");
    assertThat(inspected.signals().keySet())
        .as("runAll measures every filter's signals even after a drop")
        .anyMatch(name -> name.startsWith("fineweb_quality."));
  }

  @Test
  void badConfigurationIsAClearError() {
    assertThatThrownBy(() -> chain("gopher"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown filter 'gopher'")
        .hasMessageContaining("gopher_quality");
    assertThatThrownBy(() -> chain("c4_quality,c4_quality")).hasMessageContaining("twice");
    assertThatThrownBy(() -> chain("", "filters.gopher.quality.min.wrods", "10"))
        .hasMessageContaining("filters.gopher.quality.min.wrods")
        .hasMessageContaining("filters.gopher.quality.min.words");
    assertThatThrownBy(() -> chain("", "filters.gopher.min.words", "1"))
        .hasMessageContaining("no filter has it");
    assertThatThrownBy(() -> chain("gopher_quality", "filters.gopher.quality.min.words", "many"))
        .hasMessageContaining("filters.gopher.quality.min.words")
        .hasMessageContaining("many");
  }

  /** The chain of the comma-separated filter {@code names}, with parameters as key, value pairs. */
  private static FilterChain chain(String names, String... parameters) {
    Map<String, String> settings = new HashMap<>();
    settings.put(CleanKeys.FILTERS_CHAIN, names);
    for (int i = 0; i < parameters.length; i += 2) {
      settings.put(parameters[i], parameters[i + 1]);
    }
    return Filters.chain(MillraceConfig.of(settings));
  }
}
