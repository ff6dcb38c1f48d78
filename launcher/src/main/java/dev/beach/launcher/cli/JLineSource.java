package dev.beach.launcher.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;

/**
 * A terminal with line editing, persistent history ({@code ~/.beach/shell_history}) and tab completion, through
 * JLine: the JDK has no line editor, and completion needs raw terminal input. JLine is reached by reflection
 * so it stays an optional runtime dependency: without it on the classpath the shell reads plain lines.
 */
final class JLineSource implements LineSource {

  private static final String READER = "org.jline.reader.";

  private final Object terminal;
  private final Object reader;
  private final Class<?> terminalType;
  private final Class<?> readerType;
  private final Method readLine;

  JLineSource(ShellCompletion completion) throws ReflectiveOperationException {
    ClassLoader loader = JLineSource.class.getClassLoader();
    Class<?> terminalBuilder = Class.forName("org.jline.terminal.TerminalBuilder", true, loader);
    Object tb = terminalBuilder.getMethod("builder").invoke(null);
    tb = terminalBuilder.getMethod("system", boolean.class).invoke(tb, true);
    terminal = terminalBuilder.getMethod("build").invoke(tb);
    terminalType = Class.forName("org.jline.terminal.Terminal", true, loader);
    readerType = Class.forName(READER + "LineReader", true, loader);

    Class<?> completerType = Class.forName(READER + "Completer", true, loader);
    Method words = Class.forName(READER + "ParsedLine", true, loader).getMethod("words");
    Method wordIndex = Class.forName(READER + "ParsedLine", true, loader).getMethod("wordIndex");
    Constructor<?> candidate = Class.forName(READER + "Candidate", true, loader).getConstructor(String.class);
    InvocationHandler complete = (proxy, method, args) -> {
      switch (method.getName()) {
        case "complete":
          @SuppressWarnings("unchecked")
          List<String> typed = (List<String>) words.invoke(args[1]);
          @SuppressWarnings("unchecked")
          List<Object> out = (List<Object>) args[2];
          for (String c : completion.candidates(typed, (Integer) wordIndex.invoke(args[1]))) {
            out.add(candidate.newInstance(c));
          }
          return null;
        case "hashCode":
          return System.identityHashCode(proxy);
        case "equals":
          return proxy == args[0];
        default:
          return "beach shell completion";
      }
    };
    Object completer = Proxy.newProxyInstance(loader, new Class<?>[] {completerType}, complete);

    Class<?> builderType = Class.forName(READER + "LineReaderBuilder", true, loader);
    Object b = builderType.getMethod("builder").invoke(null);
    b = builderType.getMethod("terminal", terminalType).invoke(b, terminal);
    b = builderType.getMethod("appName", String.class).invoke(b, "beach");
    b = builderType.getMethod("completer", completerType).invoke(b, completer);
    b = builderType.getMethod("variable", String.class, Object.class)
      .invoke(b, "history-file", Path.of(System.getProperty("user.home"), ".beach", "shell_history"));
    reader = builderType.getMethod("build").invoke(b);
    // Methods of the public interfaces: the implementation classes need not be accessible.
    readLine = readerType.getMethod("readLine", String.class);
  }

  @Override
  public String readLine(String prompt) {
    try {
      return (String) readLine.invoke(reader, prompt);
    } catch (InvocationTargetException e) {
      String type = e.getCause().getClass().getName();
      if (type.equals(READER + "UserInterruptException")) {
        return ""; // Ctrl-C drops the line being typed, as in other shells
      }
      if (type.equals(READER + "EndOfFileException")) {
        return null; // Ctrl-D
      }
      throw new CliException("terminal input failed: " + e.getCause());
    } catch (IllegalAccessException e) {
      throw new CliException("terminal input failed: " + e);
    }
  }

  @Override
  public boolean interactive() {
    return true;
  }

  @Override
  public void close() {
    try {
      Object history = readerType.getMethod("getHistory").invoke(reader);
      Class.forName(READER + "History", true, JLineSource.class.getClassLoader()).getMethod("save").invoke(history);
      terminalType.getMethod("close").invoke(terminal);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // history is a convenience; losing it must not fail the exit
    }
  }
}
