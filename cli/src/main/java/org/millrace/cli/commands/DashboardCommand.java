package org.millrace.cli.commands;

import java.util.concurrent.Callable;
import org.millrace.cli.Millrace;
import org.millrace.cli.ShutdownSignal;
import org.millrace.cli.dashboard.Dashboard;
import org.millrace.cli.dashboard.DashboardKeys;
import org.millrace.runtime.config.MillraceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code millrace dashboard}: the dashboard alone, against bootstrap.servers. */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    header = "Serve the dashboard: loss, lag, throughput, rejects and samples, in a browser.",
    description = {
      "Serve the web page that 'up' and 'demo' serve, on dashboard.host:dashboard.port",
      "(http://127.0.0.1:9401/ by default), reading the cluster at bootstrap.servers: the",
      "trainer's loss curves and tokens/s, lag and throughput per stage, rejected records by",
      "reason, and text sampled from each new checkpoint (when the checkpoint folder is on this",
      "host). Runs until interrupted (Ctrl-C)."
    })
public final class DashboardCommand implements Callable<Integer> {

  @ParentCommand Millrace millrace;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    MillraceConfig config = millrace.config();
    if (config.getInt(DashboardKeys.PORT) < 0) {
      throw new IllegalArgumentException(
          DashboardKeys.PORT + " is -1: set it to a port, or 0 for any free one");
    }
    try (Dashboard dashboard =
            Dashboard.start(config)
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "the dashboard's port is taken: set "
                                + DashboardKeys.PORT
                                + " to another, or 0 for any free one"));
        ShutdownSignal shutdown = new ShutdownSignal()) {
      spec.commandLine()
          .getOut()
          .println(
              "Dashboard of Kafka "
                  + config.bootstrapServers()
                  + " on "
                  + dashboard.url()
                  + "  (Ctrl-C stops it)");
      spec.commandLine().getOut().flush();
      while (!shutdown.awaitRequest(1)) {
        // serving until interrupted
      }
      return 0;
    }
  }
}
