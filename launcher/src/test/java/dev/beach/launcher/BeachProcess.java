package dev.beach.launcher;

import dev.beach.launcher.impl.ForkedNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real {@code bin/beach} process for the integration tests: the script the README tells people to run, with the
 * fat jar it runs. Output goes to a file the assertions read; {@link #close()} kills whatever is left.
 */
final class BeachProcess implements AutoCloseable {

  static final Path SCRIPT = Path.of(System.getProperty("beach.script", "bin/beach"));

  private final String name;
  private final Process process;
  private final Path log;
  private String nodeId;
  private String gatewayUrl;
  /** Set once the process was sent SIGSTOP: {@link #close()} then sends SIGCONT before killing it. */
  private volatile boolean everStopped;
  private volatile Process watchdog;

  private BeachProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Runs {@code beach <args>} with the test JVM's JDK, a clean BEACH_* environment and {@code env} on top. */
  static BeachProcess start(String name, Path dir, Map<String, String> env, List<String> args) throws IOException {
    if (!Files.isRegularFile(Path.of(System.getProperty("beach.jar", "target/beach.jar")))) {
      fail("the fat jar is missing: run `mvn verify` (integration tests run after `package`)");
    }
    List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toAbsolutePath().toString()));
    cmd.addAll(args);
    Path log = dir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("BEACH_") || k.equals("JAVA_OPTS"));
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("JAVA_OPTS", "-Xmx384m -XX:+UseSerialGC");
    pb.environment().put("BEACH_HOME", dir.resolve("home").toString());
    pb.environment().putAll(env);
    return new BeachProcess(name, pb.start(), log);
  }

  /** {@code beach node <args>} that shuts down by itself if this test JVM dies. */
  static BeachProcess node(String name, Path dir, String... args) throws IOException {
    return node(name, dir, Map.of(), args);
  }

  /** {@code beach node <args>} with {@code env} (e.g. {@code BEACH_*} settings that have no flag) on top. */
  static BeachProcess node(String name, Path dir, Map<String, String> env, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("node", "--exit-with-parent", Long.toString(ProcessHandle.current().pid())));
    all.addAll(List.of(args));
    return start(name, dir, env, all);
  }

  /** Waits for the start-up banner; returns the node id. */
  String awaitUp(Duration timeout) throws InterruptedException {
    Matcher m = awaitLine(ForkedNode.BANNER, timeout);
    nodeId = m.group(1);
    gatewayUrl = m.group(2);
    return nodeId;
  }

  /** Waits until a line of output matches {@code pattern}. */
  Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String out = output();
      // Only complete lines: the process may be in the middle of writing the last one.
      for (String line : out.substring(0, out.lastIndexOf('\n') + 1).split("\n")) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m;
        }
      }
      if (!process.isAlive()) {
        fail(name + " exited with " + process.exitValue() + " before printing /" + pattern + "/:\n" + output());
      }
      Thread.sleep(100);
    }
    fail(name + " printed no /" + pattern + "/ within " + timeout + ":\n" + output());
    return null;
  }

  String output() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean outputHas(Predicate<String> line) {
    return output().lines().anyMatch(line);
  }

  String nodeId() {
    return nodeId;
  }

  String gatewayUrl() {
    return gatewayUrl;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL: the node gets no chance to say goodbye. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * SIGSTOP: the process stays alive with its sockets open but runs nothing, like a hung machine or a long GC
   * pause. A stopped node cannot notice that this test JVM died ({@code --exit-with-parent}), so {@link #close()}
   * resumes it before killing it, and a watchdog process resumes it after {@code atMost} even if this JVM is
   * killed before it gets the chance: the node then sees its parent gone and exits.
   */
  void sigstop(Duration atMost) throws IOException, InterruptedException {
    everStopped = true;
    watchdog = new ProcessBuilder("sh", "-c", "sleep " + Math.max(1, atMost.toSeconds()) + " && kill -CONT " + process.pid())
      .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    signal("STOP");
  }

  /** SIGCONT: a stopped process runs again. */
  void sigcont() throws IOException, InterruptedException {
    signal("CONT");
    stopWatchdog();
  }

  private void stopWatchdog() {
    Process w = watchdog;
    if (w != null) {
      w.descendants().forEach(ProcessHandle::destroy); // its `sleep`
      w.destroy();
      watchdog = null;
    }
  }

  private void signal(String sig) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).redirectErrorStream(true).start();
    String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      fail("kill -" + sig + " " + process.pid() + " (" + name + ") failed: " + out);
    }
  }

  /** SIGTERM, then waits; returns the exit code. */
  int terminate(Duration timeout) throws InterruptedException {
    sigterm();
    return awaitExit(timeout);
  }

  /** SIGTERM without waiting: several nodes told to stop at once. */
  void sigterm() {
    process.destroy();
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      fail(name + " did not exit within " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (everStopped && process.isAlive()) {
      try {
        signal("CONT");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException | AssertionError e) {
        // SIGKILL below ends a stopped process too; resuming first only lets it die like any other
      }
    }
    stopWatchdog();
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        // keep the interrupt for the caller; the process was already told to die
        Thread.currentThread().interrupt();
      }
    }
  }
}
