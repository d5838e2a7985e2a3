package org.millrace.cli.dashboard;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.millrace.runtime.config.ConfigKeys;

/**
 * The dashboard's configuration keys. Composed with every other module's keys into {@link
 * org.millrace.runtime.config.MillraceConfig}; docs/configuration.md lists them.
 */
public final class DashboardKeys implements ConfigKeys {

  public static final String HOST = "dashboard.host";
  public static final String PORT = "dashboard.port";
  public static final String SAMPLE_TOKENS = "dashboard.sample.tokens";

  @Override
  public int order() {
    return 60;
  }

  @Override
  public void define(ConfigDef definition) {
    definition
        // Dashboard
        .define(
            HOST,
            Type.STRING,
            "127.0.0.1",
            Importance.MEDIUM,
            "Address the dashboard (a web page of loss, lag, throughput, rejects and samples)"
                + " binds to; 0.0.0.0 to open it from other hosts.")
        .define(
            PORT,
            Type.INT,
            9401,
            between(-1, 65535),
            Importance.MEDIUM,
            "Port of the dashboard that up, demo and dashboard serve; 0 takes a free port, -1"
                + " serves none. When the port is taken, the command says so and runs without"
                + " it.")
        .define(
            SAMPLE_TOKENS,
            Type.INT,
            100,
            atLeast(0),
            Importance.LOW,
            "Tokens the dashboard samples from each new checkpoint of the trainer (when it can"
                + " read the checkpoint folder), to show what the model writes; 0 samples none.");
  }
}
