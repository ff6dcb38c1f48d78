package dev.beach.launcher.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * Base of the client commands: resolves the connection (the command's own options, else the shell's, else
 * the environment), turns failures into one line on standard error and exit code 1.
 */
abstract class ClientCommand implements Callable<Integer> {

  @Mixin
  Connection connection;

  @Spec
  CommandSpec spec;

  /** Set when the command runs inside {@code beach shell}. */
  Session shell;

  private Session session;

  @Override
  public final Integer call() {
    session = null; // picocli reuses command objects (the shell runs the same ones line after line)
    try {
      run();
      out().flush();
      return 0;
    } catch (CliException e) {
      out().flush();
      err().println("beach: " + e.getMessage());
      err().flush();
      return 1;
    }
  }

  abstract void run();

  final Session session() {
    if (session == null) {
      boolean ownConnection = connection.url != null || connection.token != null;
      if (shell != null && !ownConnection) {
        session = connection.json ? new Session(shell.client, true, shell.realm()) : shell;
      } else {
        session = new Session(new GatewayClient(connection.url(), connection.token()), connection.json,
          shell == null ? null : shell.realm());
      }
    }
    return session;
  }

  final GatewayClient client() {
    return session().client;
  }

  final boolean json() {
    return connection.json || session().json;
  }

  /** The realm option if given, else the shell's current realm, else {@code global}. */
  final String realm(String option) {
    return option != null ? option : session().realm();
  }

  final PrintWriter out() {
    return spec.commandLine().getOut();
  }

  final PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Prints a JSON value as the gateway sent it, pretty. */
  final void printJson(Object value) {
    out().println(Format.pretty(value));
  }
}
