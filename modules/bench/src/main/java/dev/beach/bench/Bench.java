package dev.beach.bench;

import dev.beach.BeachNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** {@code beach bench <scenario> [args]}: runs one scenario and ends with its figures as one line of JSON. */
public final class Bench {

  /** Longest wait for any one step (a node start, a deploy, a job): a stuck benchmark fails instead of hanging. */
  private static final long STEP_TIMEOUT_S = 300;

  private Bench() {
  }

  public static Map<String, Scenario> scenarios() {
    Map<String, Scenario> all = new TreeMap<>();
    ServiceLoader.load(Scenario.class, Bench.class.getClassLoader()).forEach(s -> all.put(s.name(), s));
    return all;
  }

  public static void main(String[] args) throws Exception {
    quietLogging();
    System.exit(run(args));
  }

  /** Benchmarks print figures, not Hazelcast chatter: use our quiet logback file unless one was chosen. */
  static void quietLogging() {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-bench.xml");
    }
  }

  /** Runs and returns the exit code: 0 done, 1 an invariant the scenario checks broke, 2 unknown scenario or bad arguments. */
  public static int run(String[] args) throws Exception {
    Map<String, Scenario> all = scenarios();
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println("usage: beach bench <scenario> [options]");
      all.values().forEach(s -> System.out.printf("  %-10s %s%n", s.name(), s.description()));
      return args.length == 0 ? 2 : 0;
    }
    if (!all.containsKey(args[0])) {
      System.err.println("unknown scenario '" + args[0] + "': one of " + all.keySet());
      return 2;
    }
    JsonObject line;
    try {
      line = line(args[0], Arrays.asList(args).subList(1, args.length));
    } catch (IllegalArgumentException e) {
      System.err.println("beach bench " + args[0] + ": " + e.getMessage());
      return 2;
    }
    System.out.println(line.encode());
    // A scenario that checks invariants (chaos, soak) says "ok": false when one broke.
    return line.getBoolean("ok", true) ? 0 : 1;
  }

  /** Runs scenario {@code name} and returns its closing line: {@code {"scenario": name, ...figures}}. */
  static JsonObject line(String name, List<String> args) throws Exception {
    Scenario scenario = scenarios().get(name);
    if (scenario == null) {
      throw new IllegalArgumentException("unknown scenario '" + name + "'");
    }
    Options options = new Options(new ArrayList<>(args));
    return new JsonObject().put("scenario", scenario.name()).mergeIn(scenario.run(options));
  }

  /** The future's value, from a thread that may block. */
  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(STEP_TIMEOUT_S, TimeUnit.SECONDS);
  }

  /** Waits until {@code node}'s directory lists at least {@code n} actors of the category. */
  static void awaitActors(BeachNode node, String category, int n) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (node.beach().directory(BenchActors.REALM, category).size() < n) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the directory lists " + node.beach().directory(BenchActors.REALM, category).size()
          + " actors of " + category + " after 60 s, expected " + n);
      }
      Thread.sleep(20);
    }
  }

  /** The heap's live set: bytes still in use right after full collections. One measurement, not a peak of samples. */
  static long liveHeapBytes() {
    // The second collection frees what the first one's reference processing released.
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** The machine's load average over the last minute, as {@code uptime} shows it (-1 where the OS does not say). */
  static double loadAverage() {
    return round2(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  static double round2(double d) {
    return Math.round(d * 100) / 100.0;
  }
}
