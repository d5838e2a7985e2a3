package org.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.millrace.runtime.config.ConfigLoader;
import org.yaml.snakeyaml.Yaml;

/**
 * No Docker engine runs here, so the compose file is checked for what would break it at run time:
 * every Millrace service runs a real subcommand, and its environment is valid configuration.
 * (.ci/run also runs docker-compose config.)
 */
class DockerComposeTest {

  private static final Path COMPOSE = Path.of("../docker/docker-compose.yml");

  @Test
  @SuppressWarnings("unchecked")
  void everyMillraceServiceRunsARealSubcommandWithValidConfiguration() throws Exception {
    // SnakeYAML resolves the merge key (<<: *millrace) as docker compose does.
    Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE));
    Map<String, Map<String, Object>> services =
        (Map<String, Map<String, Object>>) compose.get("services");
    int millraceServices = 0;
    for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
      Map<String, Object> definition = service.getValue();
      if (!String.valueOf(definition.get("image")).startsWith("millrace")) {
        continue;
      }
      millraceServices++;
      String subcommand = ((List<String>) definition.get("command")).get(0);

      assertThat(Millrace.commandLine().getSubcommands())
          .as(service.getKey())
          .containsKey(subcommand);
      assertThat(MillraceCommandTest.run(subcommand, "--help").exitCode())
          .as(service.getKey())
          .isZero();
      Map<String, String> environment = new HashMap<>();
      ((Map<String, Object>) definition.get("environment"))
          .forEach((name, value) -> environment.put(name, String.valueOf(value)));
      ConfigLoader.load(null, environment, Map.of()); // throws on an unknown key or a bad value
    }
    assertThat(millraceServices).isEqualTo(6);
  }

  @Test
  void theDockerfileBuildsTheLauncherTheComposeFileRuns() throws Exception {
    String dockerfile = Files.readString(Path.of("../docker/Dockerfile"));

    assertThat(dockerfile)
        .contains("./mvnw")
        .contains("cli/target/millrace-cli.jar")
        .contains("cli/target/lib")
        .contains("ENTRYPOINT [\"millrace\"]");
    assertThat(Files.readString(Path.of("../docker/millrace")))
        .contains("org.millrace.cli.Millrace")
        .contains("-Dai.djl.offline=true");
  }
}
