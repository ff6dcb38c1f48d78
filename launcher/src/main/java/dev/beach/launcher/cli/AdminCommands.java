package dev.beach.launcher.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import static dev.beach.launcher.cli.GatewayClient.seg;

/** Destructive commands, each refused without {@code --confirm}. */
final class AdminCommands {

  private AdminCommands() {
  }

  @Command(name = "flush", description = "Stop every actor of the cluster (needs --confirm and the admin token).")
  static final class Flush extends ClientCommand {
    @Option(names = "--confirm", description = "Yes, stop every actor.")
    boolean confirm;

    @Override
    void run() {
      if (!confirm) {
        throw new CliException("flush stops every actor of the cluster: add --confirm if you mean it");
      }
      JsonObject r = client().post("/v1/admin/flush?confirm=true", null).object();
      if (json()) {
        printJson(r);
      } else {
        out().println("stopped " + r.getInteger("stopped") + " actor" + (r.getInteger("stopped") == 1 ? "" : "s"));
      }
    }
  }

  @Command(name = "shutdown", description = "Drain and stop one node or every node (needs --confirm and the admin token).")
  static final class Shutdown extends ClientCommand {
    static final class Target {
      @Option(names = "--node", paramLabel = "ID", description = "The node to stop.")
      String node;

      @Option(names = "--all", description = "Every node of the cluster.")
      boolean all;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--confirm", description = "Yes, stop it.")
    boolean confirm;

    @Override
    void run() {
      String which = target.all ? "all" : target.node;
      if (!confirm) {
        throw new CliException("shutdown stops " + (target.all ? "every node" : "node " + which) + ": add --confirm if you mean it");
      }
      JsonObject r = client().post("/v1/admin/shutdown?node=" + seg(which) + "&confirm=true", null).object();
      if (json()) {
        printJson(r);
      } else {
        out().println("shutting down " + Format.words(r.getJsonArray("nodes")));
      }
    }
  }
}
