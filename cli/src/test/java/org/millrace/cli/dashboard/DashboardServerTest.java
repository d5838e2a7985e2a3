package org.millrace.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's server without Kafka or a browser: its JSON API and its static files. */
public class DashboardServerTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private DashboardHistory history;
  private DashboardServer server;

  @BeforeEach
  void serve() throws Exception {
    history = new DashboardHistory("default");
    server = DashboardServer.start("127.0.0.1", 0, history::snapshot);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theApiServesTheHistoryAsJson() throws Exception {
    history.addProgress(DashboardHistoryTest.progress("default", 1, 5.5f, null));
    history.addProgress(DashboardHistoryTest.progress("default", 2, 5.0f, 5.25f));
    history.addReport(DashboardHistoryTest.report(1_800_000_000_000L, 42, 7.5));
    history.addRejected(DashboardHistoryTest.rejected("clean", null, "empty_text"));
    history.addSample(
        new DashboardHistory.Sample(2, "step-000000002", "The ", "quick fox", 1_800_000_000_000L));

    HttpResponse<String> response = get(DashboardServer.API_PATH);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode json = new ObjectMapper().readTree(response.body());
    assertThat(json.get("run").asText()).isEqualTo("default");
    assertThat(json.get("loss")).hasSize(2);
    assertThat(json.get("loss").get(1).get("step").asLong()).isEqualTo(2);
    assertThat(json.get("loss").get(1).get("loss").floatValue()).isEqualTo(5.0f);
    assertThat(json.get("loss").get(1).get("tokensPerSecond").asDouble()).isEqualTo(1002.0);
    assertThat(json.get("validationLoss").get(0).get("loss").floatValue()).isEqualTo(5.25f);
    assertThat(json.get("taskAccuracy").isArray()).as("benchmark accuracies, none yet").isTrue();
    JsonNode clean = json.get("stages").get(0);
    assertThat(clean.get("stage").asText()).isEqualTo("clean");
    assertThat(clean.get("history").get(0).get("lag").asLong()).isEqualTo(42);
    assertThat(clean.get("history").get(0).get("rate").asDouble()).isEqualTo(7.5);
    assertThat(json.get("rejects").get(0).get("reason").asText()).isEqualTo("empty_text");
    assertThat(json.get("rejects").get(0).get("count").asLong()).isEqualTo(1);
    assertThat(json.get("samples").get(0).get("text").asText()).isEqualTo("quick fox");
    assertThat(json.get("bootstrapServers").asText()).isEqualTo("127.0.0.1:9092");
  }

  @Test
  void beforeAnyReadTheApiAnswersWithEmptySeries() throws Exception {
    JsonNode json = new ObjectMapper().readTree(get(DashboardServer.API_PATH).body());
    assertThat(json.get("loss")).isEmpty();
    assertThat(json.get("stages")).isEmpty();
    assertThat(json.get("trainer").isNull()).isTrue();
  }

  @Test
  void thePageAndItsScriptComeFromTheServerAndNameNothingOnTheInternet() throws Exception {
    HttpResponse<String> page = get("/");
    HttpResponse<String> script = get("/dashboard.js");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body())
        .contains("<canvas id=\"loss-chart\"")
        .contains("<canvas id=\"tasks-chart\"")
        .contains("<canvas id=\"lag-chart\"")
        .contains("src=\"assets/chart.umd.js\"");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.body()).contains("api/dashboard");
    for (String body : new String[] {page.body(), script.body(), get("/dashboard.css").body()}) {
      assertThat(body).doesNotContain("http://").doesNotContain("https://").doesNotContain("//cdn");
    }
  }

  @Test
  void chartJsIsServedFromItsWebjar() throws Exception {
    HttpResponse<String> chartJs = get(DashboardServer.CHART_JS_PATH);

    assertThat(chartJs.statusCode()).isEqualTo(200);
    assertThat(chartJs.headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(chartJs.body()).startsWith("/*!").contains("Chart.js v4");
  }

  @Test
  void anythingElseIsNotFoundAndOnlyGetIsAnswered() throws Exception {
    assertThat(get("/index.html.bak").statusCode()).isEqualTo(404);
    assertThat(get("/dashboard/../META-INF/MANIFEST.MF").statusCode()).isEqualTo(404);
    assertThat(
            http.send(
                    HttpRequest.newBuilder(uri(DashboardServer.API_PATH))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(405);
  }

  @Test
  void servesTheSweepsScalingPlotOnceThereIsOne(@TempDir Path folder) throws Exception {
    Path plot = folder.resolve("scaling.svg");
    try (DashboardServer withPlot =
        DashboardServer.start("127.0.0.1", 0, history::snapshot, plot)) {
      URI uri =
          URI.create("http://127.0.0.1:" + withPlot.port() + DashboardServer.SCALING_PLOT_PATH);
      HttpResponse<String> none =
          http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(none.statusCode()).isEqualTo(404);

      Files.writeString(plot, "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n");
      HttpResponse<String> written =
          http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(written.statusCode()).isEqualTo(200);
      assertThat(written.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
      assertThat(written.body()).startsWith("<svg");
    }
    assertThat(get("/").body()).contains("src=\"scaling.svg\"");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
