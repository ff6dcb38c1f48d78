package dev.beach.launcher;

import dev.beach.launcher.cli.ClientCli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code beach} executable. {@code beach node} runs a node, {@code beach fork N} a local cluster,
 * {@code beach bench} the benchmarks, {@code beach certs} a cluster's TLS files; the client commands (status, deploy,
 * request, shell, ...) talk to a gateway.
 */
@Command(name = "beach", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
  description = "Beach: actors on a cluster of JVMs.",
  subcommands = {NodeCommand.class, ForkCommand.class, BenchCommand.class, CertsCommand.class,
    CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  static {
    // Before any logger exists: Vert.x and Hazelcast log through SLF4J (logback), also when run with plain `java -jar`.
    setDefault("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    setDefault("hazelcast.logging.type", "slf4j");
    setDefault("hazelcast.phone.home.enabled", "false");
  }

  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The whole command tree; tests execute it in-process. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    // Everything after `bench` belongs to the scenario, options included.
    cl.getSubcommands().get("bench").setUnmatchedOptionsArePositionalParams(true).setStopAtPositional(true);
    // The client commands: status, nodes, realms, actors, deploy, stop, request, ..., shell.
    ClientCli.addTo(cl);
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[]{"beach " + (v == null ? "(development build)" : v)};
    }
  }
}
