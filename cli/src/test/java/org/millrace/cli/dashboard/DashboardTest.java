package org.millrace.cli.dashboard;

import org.millrace.cli.CommandRun;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.cli.dashboard.DashboardKeys;
import org.millrace.runtime.config.MillraceConfig;

/** The dashboard without a cluster: it serves its page all the same and says what is wrong. */
public class DashboardTest {

  @TempDir Path dataDir;

  @Test
  void withoutKafkaThePageSaysTheClusterCannotBeRead() throws Exception {
    int nothingListens;
    try (ServerSocket socket = new ServerSocket(0)) {
      nothingListens = socket.getLocalPort();
    }
    MillraceConfig config =
        MillraceConfig.of(
            Map.of(
                MillraceConfig.BOOTSTRAP_SERVERS,
                "127.0.0.1:" + nothingListens,
                MillraceConfig.DATA_DIR,
                dataDir.toString(),
                DashboardKeys.PORT,
                "0"));
    try (Dashboard dashboard = Dashboard.start(config).orElseThrow()) {
      assertThat(dashboard.url()).isEqualTo("http://127.0.0.1:" + dashboard.port() + "/");
      JsonNode snapshot = api(dashboard);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (snapshot.get("error").isNull() && System.nanoTime() < deadline) {
        Thread.sleep(500);
        snapshot = api(dashboard);
      }
      assertThat(snapshot.get("error").asText()).isNotBlank();
      assertThat(snapshot.get("samplesNote").asText())
          .as("the trainer never wrote a checkpoint here")
          .startsWith("no checkpoint in ");
    }
  }

  @Test
  void noPortNoDashboard() throws Exception {
    MillraceConfig config = MillraceConfig.of(Map.of(DashboardKeys.PORT, "-1"));
    assertThat(Dashboard.start(config)).isEqualTo(Optional.empty());

    CommandRun run =
        CommandRun.of("dashboard", "--set", DashboardKeys.PORT + "=-1");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("dashboard.port is -1");
  }

  @Test
  void aTakenPortIsAWarningNotAFailure() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      MillraceConfig config =
          MillraceConfig.of(Map.of(DashboardKeys.PORT, String.valueOf(taken.getLocalPort())));
      assertThat(Dashboard.start(config)).isEmpty();
    }
  }

  private static JsonNode api(Dashboard dashboard) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(dashboard.url() + "api/dashboard")).build(),
                HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(response.body());
  }
}
