package dev.beach.launcher.cli;

import dev.beach.Address;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code beach shell}: the interactive console. Prompt {@code beach/<realm>>}; {@code realm X} switches realm;
 * every client command works without the {@code beach} prefix and defaults to the current realm; {@code help},
 * {@code history}, {@code exit}. Reads plain standard input when it is not a terminal, so scripts and tests
 * can pipe commands in; then the exit code is 1 if any command failed.
 */
@Command(name = "shell", description = "Interactive console: beach/<realm>> prompt, history, tab completion.")
final class ShellCommand extends ClientCommand {

  @Option(names = {"-r", "--realm"}, description = "Realm to start in (default: global).")
  String realm;

  @Option(names = "--plain", description = "Read plain standard input even on a terminal (no editing, no prompt).")
  boolean plain;

  /** Where lines come from when not on a terminal; tests replace standard input. */
  InputStream input = System.in;

  private final List<String> history = new ArrayList<>();

  @Override
  void run() {
    Session s = new Session(client(), json(), realm == null ? Address.DEFAULT_REALM : Address.validateRealm(realm));
    CommandLine commands = ClientCli.shellCommands(s, out(), err());
    ShellCompletion completion = new ShellCompletion(s, names(commands));
    boolean failed = false;
    try (LineSource lines = open(completion)) {
      if (lines.interactive()) {
        out().println("beach shell on " + s.client.url() + ": 'help' lists commands, 'exit' leaves.");
        out().flush();
      }
      String line;
      while ((line = lines.readLine("beach/" + s.realm() + "> ")) != null) {
        line = line.trim();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        history.add(line);
        if (line.equals("exit") || line.equals("quit")) {
          break;
        }
        boolean ok = execute(line, s, commands);
        failed |= !ok && !lines.interactive();
      }
    }
    out().flush();
    if (failed) {
      throw new CliException("some commands failed");
    }
  }

  private LineSource open(ShellCompletion completion) {
    if (!plain && System.console() != null && input == System.in) {
      LineSource terminal = LineSource.terminal(completion, err());
      if (terminal != null) {
        return terminal;
      }
    }
    return new LineSource.Plain(input);
  }

  /** Runs one line; false when it failed. */
  private boolean execute(String line, Session s, CommandLine commands) {
    List<String> words;
    try {
      words = Words.split(line);
    } catch (CliException e) {
      err().println("beach: " + e.getMessage());
      err().flush();
      return false;
    }
    String first = words.get(0);
    switch (first) {
      case "help":
        help(words, commands);
        return true;
      case "realm":
        return realm(words, s);
      case "history":
        for (int i = 0; i < history.size(); i++) {
          out().printf("%4d  %s%n", i + 1, history.get(i));
        }
        out().flush();
        return true;
      case "shell":
        err().println("beach: already in the shell");
        err().flush();
        return false;
      default:
        int code = commands.execute(words.toArray(new String[0]));
        out().flush();
        err().flush();
        return code == 0;
    }
  }

  private boolean realm(List<String> words, Session s) {
    if (words.size() == 1) {
      out().println(s.realm());
    } else {
      try {
        s.realm(Address.validateRealm(words.get(1)));
      } catch (RuntimeException e) {
        err().println("beach: " + e.getMessage());
        err().flush();
        return false;
      }
      out().println("realm " + s.realm());
    }
    out().flush();
    return true;
  }

  private void help(List<String> words, CommandLine commands) {
    if (words.size() > 1) {
      CommandLine sub = commands.getSubcommands().get(words.get(1));
      if (sub != null) {
        sub.usage(out());
        out().flush();
        return;
      }
    }
    out().println("Commands (the current realm is the default for --realm):");
    for (Map.Entry<String, CommandLine> e : commands.getSubcommands().entrySet()) {
      String[] description = e.getValue().getCommandSpec().usageMessage().description();
      out().printf("  %-10s %s%n", e.getKey(), description.length > 0 ? description[0] : "");
    }
    out().printf("  %-10s %s%n", "realm X", "Switch to realm X ('realm' alone shows the current one).");
    out().printf("  %-10s %s%n", "history", "The lines typed so far.");
    out().printf("  %-10s %s%n", "help CMD", "Options of a command.");
    out().printf("  %-10s %s%n", "exit", "Leave (also Ctrl-D).");
    out().flush();
  }

  private static List<String> names(CommandLine commands) {
    List<String> names = new ArrayList<>(commands.getSubcommands().keySet());
    names.addAll(List.of("realm", "history", "help", "exit"));
    return names;
  }
}
