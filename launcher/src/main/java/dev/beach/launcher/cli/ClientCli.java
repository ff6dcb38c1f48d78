package dev.beach.launcher.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@code beach} client commands. They talk to a gateway over HTTP ({@code --url}/{@code BEACH_URL},
 * {@code --token}/{@code BEACH_TOKEN}), print tables (or the gateway's JSON with {@code --json}) and exit
 * non-zero with the error message on failure.
 */
public final class ClientCli {

  /** Every client command but the shell, in the order help lists them. */
  static final List<Supplier<ClientCommand>> COMMANDS = List.of(
    ClusterCommands.Status::new, ClusterCommands.Nodes::new, ClusterCommands.Realms::new, ClusterCommands.Actors::new,
    ActorCommands.Deploy::new, ActorCommands.Stop::new, DispatchCommands.Request::new, DispatchCommands.Shoot::new,
    DispatchCommands.Broadcast::new, DispatchCommands.All::new, MapCommand::new, ActorCommands.Push::new,
    ActorCommands.Restart::new, LogsCommand::new, DeploymentCommands.Apply::new, DeploymentCommands.Deployments::new,
    DeploymentCommands.Scale::new, DeploymentCommands.Rollout::new, DeploymentCommands.Drain::new,
    AdminCommands.Flush::new, AdminCommands.Shutdown::new);

  private ClientCli() {
  }

  /** Every command answers {@code -h/--help} (and {@code -V/--version}), as {@code beach node} does. */
  private static CommandLine withHelp(CommandLine cl) {
    cl.getCommandSpec().mixinStandardHelpOptions(true);
    return cl;
  }

  /**
   * Adds status, nodes, realms, actors, deploy, stop, request, shoot, broadcast, all, map, push, restart, logs, apply,
   * deployments, scale, rollout, drain,
   * flush, shutdown and shell.
   */
  public static void addTo(CommandLine root) {
    // "@file" is how request bodies are read from files (as in curl), so picocli must not expand it as an
    // argument file first.
    root.setExpandAtFiles(false);
    for (Supplier<ClientCommand> c : COMMANDS) {
      root.addSubcommand(withHelp(new CommandLine(c.get())));
    }
    root.addSubcommand(withHelp(new CommandLine(new ShellCommand())));
  }

  /** The commands as the shell runs them: sharing the shell's session and its current realm. */
  static CommandLine shellCommands(Session session, PrintWriter out, PrintWriter err) {
    CommandLine root = new CommandLine(new ShellRoot()).setExpandAtFiles(false);
    for (Supplier<ClientCommand> c : COMMANDS) {
      ClientCommand command = c.get();
      command.shell = session;
      root.addSubcommand(new CommandLine(command));
    }
    root.setOut(out);
    root.setErr(err);
    return root;
  }

  /** The shell's nameless root: lines name a subcommand. */
  @Command(name = "", description = "beach shell")
  static final class ShellRoot implements Runnable {
    @Override
    public void run() {
      // a line naming no command is caught by the shell before it gets here
    }
  }

  /** Runs one client command line in-process; for tests and embedding. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine root = new CommandLine(new ShellRoot());
    addTo(root);
    root.setOut(out);
    root.setErr(err);
    return root.execute(args);
  }
}
