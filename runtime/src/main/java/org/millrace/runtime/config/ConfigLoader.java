package org.millrace.runtime.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads the configuration: the defaults of {@link MillraceConfig#DEFINITION}, then one properties
 * file, then environment variables, then command-line settings, each overriding the one before.
 *
 * <p>The file is the one given on the command line ({@code --config}), or the one named by {@code
 * MILLRACE_CONFIG}, or {@code millrace.properties} in the working directory when it exists. An
 * environment variable {@code MILLRACE_SOME_KEY} sets {@code some.key} (lower case, underscores
 * read as dots), so {@code MILLRACE_DATA_DIR} sets {@code data.dir} and {@code
 * MILLRACE_KAFKA_SECURITY_PROTOCOL} sets the Kafka client property {@code security.protocol}. An
 * unknown key is an error that names it and where it came from: a typo never passes silently.
 */
public final class ConfigLoader {

  public static final String ENV_PREFIX = "MILLRACE_";
  public static final String CONFIG_FILE_ENV = "MILLRACE_CONFIG";
  public static final Path DEFAULT_CONFIG_FILE = Path.of("millrace.properties");

  /** MILLRACE_ variables that are not settings: read by the launcher script. */
  private static final Set<String> NOT_SETTINGS =
      Set.of(
          CONFIG_FILE_ENV, "MILLRACE_HOME", "MILLRACE_OPTS", "MILLRACE_REBUILD", "MILLRACE_DEBUG");

  private ConfigLoader() {}

  /**
   * @param configFile the file named on the command line, or null to look for the default one
   * @param environment the process environment (System.getenv())
   * @param commandLine settings given on the command line as key=value
   */
  public static MillraceConfig load(
      Path configFile, Map<String, String> environment, Map<String, String> commandLine) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();

    Path file = configFile;
    if (file == null && environment.containsKey(CONFIG_FILE_ENV)) {
      file = Path.of(environment.get(CONFIG_FILE_ENV));
    }
    if (file == null && Files.isRegularFile(DEFAULT_CONFIG_FILE)) {
      file = DEFAULT_CONFIG_FILE;
    }
    if (file != null) {
      Properties properties = readProperties(file);
      for (String key : properties.stringPropertyNames()) {
        put(values, origins, key, properties.getProperty(key).strip(), "file " + file);
      }
    }

    environment.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_PREFIX) && !NOT_SETTINGS.contains(name)) {
            put(
                values,
                origins,
                keyOfEnvironmentVariable(name),
                value,
                "environment variable " + name);
          }
        });

    commandLine.forEach((key, value) -> put(values, origins, key, value, "command line"));

    return build(values, origins);
  }

  /** Defaults plus the given settings; for tests and for embedding Millrace in another program. */
  public static MillraceConfig fromMap(Map<String, String> settings) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
    settings.forEach((key, value) -> put(values, origins, key, value, "code"));
    return build(values, origins);
  }

  /** {@code MILLRACE_DATA_DIR} → {@code data.dir}. */
  public static String keyOfEnvironmentVariable(String name) {
    return name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
  }

  static MillraceConfig build(Map<String, String> values, Map<String, String> origins) {
    MillraceConfig config;
    try {
      config = new MillraceConfig(values, origins);
    } catch (ConfigException e) {
      // Kafka's message names the key and value; add where the value came from.
      String key = e.getMessage() == null ? "" : keyNamedIn(e.getMessage(), values.keySet());
      throw key.isEmpty()
          ? e
          : new ConfigException(e.getMessage() + " (from " + origins.get(key) + ")");
    }
    config.checkConsistency();
    return config;
  }

  private static String keyNamedIn(String message, Set<String> keys) {
    return keys.stream()
        .filter(key -> message.contains(" " + key + ":") || message.contains(" " + key + " "))
        .findFirst()
        .orElse("");
  }

  private static void put(
      Map<String, String> values,
      Map<String, String> origins,
      String key,
      String value,
      String origin) {
    // Filter parameters are declared by the filters and checked by the clean stage.
    if (!MillraceConfig.DEFINITION.names().contains(key)
        && !key.startsWith(MillraceConfig.KAFKA_PREFIX)
        && !key.startsWith(MillraceConfig.FILTERS_PREFIX)) {
      throw new ConfigException(
          "unknown configuration key '"
              + key
              + "' (from "
              + origin
              + "); docs/configuration.md lists every key, and Kafka client properties take the"
              + " prefix '"
              + MillraceConfig.KAFKA_PREFIX
              + "', filter parameters the prefix '"
              + MillraceConfig.FILTERS_PREFIX
              + "'");
    }
    values.put(key, value);
    origins.put(key, origin);
  }

  private static Properties readProperties(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("configuration file " + file.toAbsolutePath() + " does not exist");
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new ConfigException(
          "cannot read configuration file " + file.toAbsolutePath() + ": " + e.getMessage());
    }
    return properties;
  }
}
