package dev.beach.bench;

import dev.beach.spi.ClusterSupport;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM a scenario starts (a peer node, the HTTP load generator): the one way benchmarks start processes. It runs
 * a main class from this JVM's class path with the flags every node JVM gets ({@code node-jvm.args}); its standard
 * error is ours, and it reports on standard output, one line per event ({@link #awaitLine}). Its main calls
 * {@link #haltWhenInputCloses()}: {@link #close()} closes its input, so it never outlives the benchmark, even one
 * that is killed.
 */
final class ChildJvm implements AutoCloseable {

  private static final String EOF = "\u0000eof";
  /** A child's standard input, as lines. */
  private static final BufferedReader INPUT = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

  private final String name;
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private ChildJvm(String name, Process process) {
    this.name = name;
    this.process = process;
    Thread reader = new Thread(this::read, name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code main} with {@code args} in a JVM of at most {@code heap} (e.g. {@code 1g}). */
  static ChildJvm start(String name, Class<?> main, String heap, List<String> args) throws IOException {
    List<String> cmd = javaCommand(heap, main.getName());
    cmd.addAll(args);
    return new ChildJvm(name, new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
  }

  /**
   * The command that runs {@code mainClass} from this JVM's class path, with the node JVM flags and a heap of at
   * most {@code heap}; arguments go after it. Also how {@link NodeProcess} starts {@code beach node}.
   */
  static List<String> javaCommand(String heap, String mainClass) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaTool("java"));
    cmd.add("-Xmx" + heap);
    cmd.addAll(ClusterSupport.nodeJvmFlags());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    return cmd;
  }

  /** A tool of this JVM's JDK ({@code java}, {@code jcmd}). */
  static String javaTool(String tool) {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + tool;
  }

  /**
   * The rest of the first output line that starts with {@code prefix}; the lines before it are echoed, tagged
   * with the child's name. Fails when the child exits first or {@code timeoutSeconds} pass.
   */
  String awaitLine(String prefix, long timeoutSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (true) {
      String line = nextLine(deadline, prefix);
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length()).trim();
      }
      echo(line);
    }
  }

  /** The child's next output line; fails when it exits first or at {@code deadline} ({@link System#nanoTime()}). */
  String nextLine(long deadline, String awaited) throws InterruptedException {
    String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    if (line == null) {
      throw new IllegalStateException(name + " said no '" + awaited + "' in time");
    }
    if (line.equals(EOF)) {
      lines.add(EOF);
      throw new IllegalStateException(name + " exited (code " + process.waitFor() + ") before it said '" + awaited + "'");
    }
    return line;
  }

  /** Prints a line of the child's, tagged with its name. */
  void echo(String line) {
    System.out.println("[" + name + "] " + line);
  }

  /** CPU time the child has used so far, all its threads (from the OS; -1 where it does not say). */
  long cpuNanos() {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  /** SIGKILL ({@code kill -9}): the child gets no chance to say goodbye. Returns once it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " still runs 10 s after SIGKILL");
    }
  }

  /** Closes the child's input, which ends it; kills it if it is still there 15 s later (or at once if interrupted). */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // already gone
    }
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void read() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException ignored) {
      // the child is gone
    }
    lines.add(EOF);
  }

  /** Sends the child one line on its standard input (it reads it with {@link #readLine()}). */
  void send(String line) throws IOException {
    process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().flush();
  }

  /** For a child's main: the next line its parent {@link #send sent}, or null once the parent closed our input. */
  static String readLine() throws IOException {
    return INPUT.readLine();
  }

  /**
   * For a child's main once it is set up: blocks until the parent closes our input (or dies), then ends this JVM
   * at once; Vert.x and Hazelcast threads would otherwise keep it alive.
   */
  static void haltWhenInputCloses() {
    System.out.flush();
    try {
      while (INPUT.readLine() != null) {
        // nothing more is expected; only the end matters
      }
    } catch (IOException ignored) {
      // parent gone
    }
    Runtime.getRuntime().halt(0);
  }

  /** For a child's main that failed: say why on standard error and end this JVM. */
  static void fail(Throwable t) {
    t.printStackTrace();
    Runtime.getRuntime().halt(1);
  }
}
