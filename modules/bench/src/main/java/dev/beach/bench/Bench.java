package dev.beach.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** {@code beach bench <scenario> [args]}: runs one scenario and ends with its figures as one line of JSON. */
public final class Bench {

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

  /** Runs and returns the exit code: 0 done, 2 unknown scenario or bad arguments. */
  public static int run(String[] args) throws Exception {
    Map<String, Scenario> all = scenarios();
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println("usage: beach bench <scenario> [options]");
      all.values().forEach(s -> System.out.printf("  %-10s %s%n", s.name(), s.description()));
      return args.length == 0 ? 2 : 0;
    }
    Scenario scenario = all.get(args[0]);
    if (scenario == null) {
      System.err.println("unknown scenario '" + args[0] + "': one of " + all.keySet());
      return 2;
    }
    List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
    JsonObject figures = scenario.run(rest);
    System.out.println(new JsonObject().put("scenario", scenario.name()).mergeIn(figures).encode());
    return 0;
  }

  /** {@code --name value} from the arguments, or the default. */
  static long option(List<String> args, String name, long def) {
    int i = args.indexOf("--" + name);
    if (i < 0 || i + 1 >= args.size()) {
      return def;
    }
    try {
      return Long.parseLong(args.get(i + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " needs a number, got '" + args.get(i + 1) + "'");
    }
  }
}
