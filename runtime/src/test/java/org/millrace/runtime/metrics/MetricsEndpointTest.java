package org.millrace.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.millrace.runtime.config.MillraceConfig;

class MetricsEndpointTest {

  private static MillraceConfig port(String port) {
    return MillraceConfig.of(Map.of(MillraceConfig.METRICS_PORT, port));
  }

  static String scrape(int port) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    return response.body();
  }

  @Test
  void servesWhatIsBoundToItsRegistryInPrometheusTextFormat() throws Exception {
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(port("0")).orElseThrow()) {
      endpoint.registry().counter("millrace.test.documents", "stage", "clean").increment(3);

      assertThat(scrape(endpoint.port()))
          .contains("millrace_test_documents_total{stage=\"clean\"} 3.0");
    }
  }

  @Test
  void aTakenPortOrMinusOneMeansNoEndpointAndNoError() throws Exception {
    try (MetricsEndpoint first = MetricsEndpoint.start(port("0")).orElseThrow()) {
      Optional<MetricsEndpoint> second = MetricsEndpoint.start(port(String.valueOf(first.port())));

      assertThat(second).isEmpty();
      assertThat(scrape(first.port())).isNotNull();
    }
    assertThat(MetricsEndpoint.start(port("-1"))).isEmpty();
  }
}
