package dev.beach.launcher.impl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code beach node} child process of {@code beach fork}: same java, same JVM flags, same classpath as the
 * parent. Its output is copied to the parent's, each line prefixed with the node's name, and its start-up banner
 * tells when it is ready.
 */
public final class ForkedNode {

  /** The banner line {@link NodeApplication} logs once a node is ready. */
  public static final Pattern BANNER = Pattern.compile("node (\\S+) up: .*, gateway (\\S+), code ");

  private final String name;
  private final Process process;
  private final CompletableFuture<String> ready = new CompletableFuture<>();
  private volatile String nodeId;
  private volatile String gatewayUrl;

  private ForkedNode(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  /** Starts {@code beach <args>} in a new JVM; its output goes to {@code out} prefixed with {@code [name]}. */
  public static ForkedNode start(String name, List<String> args, PrintStream out) throws IOException {
    List<String> cmd = new ArrayList<>(javaCommand());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    ForkedNode node = new ForkedNode(name, pb.start());
    Thread pump = new Thread(() -> node.pump(out), "beach-fork-" + name);
    pump.setDaemon(true);
    pump.start();
    node.process.onExit().thenRun(() -> node.ready.completeExceptionally(
      new IllegalStateException(name + " exited with code " + node.process.exitValue() + " before it was ready")));
    return node;
  }

  /** This JVM's java, flags and classpath, ending with the launcher's main class. */
  static List<String> javaCommand() {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command()
      .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // A debugger agent would make every child fight for the same port.
      if (!arg.startsWith("-agentlib:jdwp") && !arg.startsWith("-Xrunjdwp")) {
        cmd.add(arg);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.beach.launcher.Main");
    return cmd;
  }

  private void pump(PrintStream out) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        out.println("[" + name + "] " + line);
        if (!ready.isDone()) {
          Matcher m = BANNER.matcher(line);
          if (m.find()) {
            nodeId = m.group(1);
            gatewayUrl = m.group(2);
            ready.complete(nodeId);
          }
        }
      }
    } catch (IOException e) {
      // The child went away; onExit reports it.
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  /** Completes with the node id once the node logged its banner; fails if it exits first. */
  public CompletableFuture<String> ready() {
    return ready;
  }

  public String nodeId() {
    return nodeId;
  }

  /** The gateway URL, or "off". */
  public String gatewayUrl() {
    return gatewayUrl;
  }

  public boolean alive() {
    return process.isAlive();
  }

  public CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  /** Asks the node to stop (SIGTERM), without waiting. */
  public void requestStop() {
    process.destroy();
  }

  /** Waits up to {@code timeoutMs} for the node to stop, then kills it; returns its exit code. */
  public int awaitStop(long timeoutMs) throws InterruptedException {
    if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
    return process.exitValue();
  }
}
