package dev.beach.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One {@code beach node} process, as an operator runs it: the launcher's main class from this JVM's class path (the
 * fat jar under {@code bin/beach}), started with {@link ChildJvm#javaCommand}. Its output goes to a log file, whose
 * banner line says when it is up. It can be killed with SIGKILL, frozen with SIGSTOP and resumed, and started again
 * with the same arguments (same ports, same data directory). {@code --exit-with-parent} ends it when this JVM goes,
 * and a frozen one is resumed by a watchdog process so that it can notice.
 */
final class NodeProcess implements AutoCloseable {

  /** The launcher's entry point; only on the class path when the benchmark runs from the fat jar. */
  static final String LAUNCHER_MAIN = "dev.beach.launcher.Main";
  /** The line the launcher logs once a node is ready (the launcher's ForkedNode.BANNER). */
  private static final Pattern BANNER = Pattern.compile("node (\\S+) up: .*, gateway (\\S+), code ");
  private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)\\s*$", Pattern.MULTILINE);

  private final String name;
  private final String heap;
  private final List<String> args;
  private final Map<String, String> env;
  private final Path log;
  private Process process;
  private long logOffset;
  private volatile String nodeId;
  private volatile String gatewayUrl;
  private volatile boolean frozen;
  private Process watchdog;

  NodeProcess(String name, String heap, List<String> args, Map<String, String> env, Path log) {
    this.name = name;
    this.heap = heap;
    this.args = List.copyOf(args);
    this.env = Map.copyOf(env);
    this.log = log;
  }

  /** Fails with a clear message when the launcher is not on the class path (a scenario run outside bin/beach). */
  static void requireLauncher() {
    try {
      Class.forName(LAUNCHER_MAIN, false, NodeProcess.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("this scenario starts `beach node` processes, whose main class "
        + LAUNCHER_MAIN + " is not on the class path: run it with bin/beach bench");
    }
  }

  /** Starts the process (again, after a kill); {@link #awaitUp} waits for it. */
  synchronized void start() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is still running");
    }
    List<String> cmd = new ArrayList<>(ChildJvm.javaCommand(heap, LAUNCHER_MAIN));
    cmd.addAll(List.of("node", "--exit-with-parent", Long.toString(ProcessHandle.current().pid())));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
      .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // Only what this run says: no BEACH_* or JAVA_OPTS of the caller's shell.
    pb.environment().keySet().removeIf(k -> k.startsWith("BEACH_") || k.equals("JAVA_OPTS"));
    pb.environment().putAll(env);
    logOffset = Files.exists(log) ? Files.size(log) : 0;
    nodeId = null;
    gatewayUrl = null;
    frozen = false;
    process = pb.start();
  }

  /** Waits for this start's banner; returns the node id. Fails if the process exits first or time runs out. */
  String awaitUp(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Process p = process;
    while (System.nanoTime() < deadline) {
      String out = outputSinceStart();
      for (String line : out.substring(0, out.lastIndexOf('\n') + 1).split("\n")) {
        Matcher m = BANNER.matcher(line);
        if (m.find()) {
          gatewayUrl = m.group(2);
          nodeId = m.group(1);
          return nodeId;
        }
      }
      if (!p.isAlive()) {
        throw new IllegalStateException(name + " exited with " + p.exitValue() + " before it was up; see " + log);
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(name + " was not up within " + timeout.toSeconds() + " s; see " + log);
  }

  private String outputSinceStart() throws IOException {
    if (!Files.exists(log)) {
      return "";
    }
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long length = f.length();
      // Bounded: the banner comes within the first lines of a start.
      byte[] bytes = new byte[(int) Math.min(1 << 20, Math.max(0, length - logOffset))];
      f.seek(logOffset);
      f.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  String name() {
    return name;
  }

  /** The node id of the current start, or null before it is up. */
  String nodeId() {
    return nodeId;
  }

  /** {@code http://host:port} of the current start's gateway, or null before it is up. */
  String gatewayUrl() {
    return gatewayUrl;
  }

  synchronized long pid() {
    return process.pid();
  }

  boolean alive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  boolean frozen() {
    return frozen;
  }

  Path log() {
    return log;
  }

  /** SIGKILL, and waits until the process is gone: no goodbye to the cluster. */
  synchronized void kill9() throws InterruptedException {
    resumeIfFrozen();
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " survived SIGKILL for 30 s");
    }
  }

  /**
   * SIGSTOP: alive with its sockets open, running nothing (a hung machine, a long GC pause). A watchdog process
   * resumes it after {@code atMost} even if this JVM dies first, so it can then see its parent gone and exit.
   */
  synchronized void sigstop(Duration atMost) throws IOException, InterruptedException {
    watchdog = new ProcessBuilder("sh", "-c", "sleep " + Math.max(1, atMost.toSeconds()) + " && kill -CONT " + process.pid())
      .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    frozen = true;
    signal("STOP");
  }

  /** SIGCONT: a frozen process runs again. */
  synchronized void sigcont() throws IOException, InterruptedException {
    signal("CONT");
    frozen = false;
    stopWatchdog();
  }

  private void resumeIfFrozen() {
    if (frozen && process.isAlive()) {
      try {
        signal("CONT");
      } catch (IOException | InterruptedException | IllegalStateException e) {
        // SIGKILL ends a stopped process too; resuming first only lets it go like any other
      }
    }
    frozen = false;
    stopWatchdog();
  }

  private void stopWatchdog() {
    Process w = watchdog;
    if (w != null) {
      w.descendants().forEach(ProcessHandle::destroy); // its sleep
      w.destroy();
      watchdog = null;
    }
  }

  private void signal(String sig) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).redirectErrorStream(true).start();
    String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + sig + " " + process.pid() + " (" + name + ") failed: " + out);
    }
  }

  /** Open file descriptors of the process, from {@code /proc/<pid>/fd} (Linux); -1 where there is no /proc. */
  long openFileDescriptors() throws IOException {
    Path fd = Path.of("/proc", Long.toString(pid()), "fd");
    if (!Files.isDirectory(fd)) {
      return -1;
    }
    try (Stream<Path> entries = Files.list(fd)) {
      return entries.count();
    }
  }

  /**
   * The live heap: bytes of objects still reachable, from {@code jcmd <pid> GC.class_histogram}, which runs a full
   * collection first and then counts what is left. One number from the JVM itself, whichever collector it runs.
   */
  long liveHeapBytes() throws IOException, InterruptedException {
    Process jcmd = new ProcessBuilder(ChildJvm.javaTool("jcmd"), Long.toString(pid()), "GC.class_histogram")
      .redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
      throw new IllegalStateException("jcmd GC.class_histogram on " + name + " failed: " + tail(out));
    }
    Matcher m = HISTOGRAM_TOTAL.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("jcmd GC.class_histogram on " + name + " printed no Total line: " + tail(out));
    }
    return Long.parseLong(m.group(2));
  }

  private static String tail(String s) {
    return s.length() <= 500 ? s : "..." + s.substring(s.length() - 500);
  }

  /** SIGTERM (the node drains and leaves), then SIGKILL if it is still there after {@code timeout}. */
  synchronized void terminate(Duration timeout) throws InterruptedException {
    if (process == null) {
      return;
    }
    resumeIfFrozen();
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    try {
      terminate(Duration.ofSeconds(20));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
