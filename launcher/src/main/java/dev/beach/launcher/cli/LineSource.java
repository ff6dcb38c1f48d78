package dev.beach.launcher.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;

/** Where the shell's lines come from: a terminal with line editing, or plain standard input (scripts, tests). */
interface LineSource extends AutoCloseable {

  /** The next line, or null at the end of input. */
  String readLine(String prompt);

  /** Whether a person is typing (prompts shown, failures do not end the session's exit code). */
  boolean interactive();

  @Override
  void close();

  /**
   * A terminal with line editing, history and completion ({@link JLineSource}), or null when JLine is not on
   * the classpath or the terminal cannot be opened: the shell then reads plain lines.
   */
  static LineSource terminal(ShellCompletion completion, PrintWriter err) {
    try {
      return new JLineSource(completion);
    } catch (ClassNotFoundException | LinkageError e) {
      return null; // no JLine on the classpath: plain lines
    } catch (ReflectiveOperationException | RuntimeException e) {
      Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
      err.println("beach: no line editing on this terminal (" + cause + "); reading plain input");
      return null;
    }
  }

  /** Lines from a stream, no prompt, no editing: {@code beach shell < script.txt}. */
  final class Plain implements LineSource {
    private final BufferedReader in;

    Plain(InputStream in) {
      this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    @Override
    public String readLine(String prompt) {
      try {
        return in.readLine();
      } catch (IOException e) {
        return null;
      }
    }

    @Override
    public boolean interactive() {
      return false;
    }

    @Override
    public void close() {
      // standard input belongs to the process
    }
  }
}
