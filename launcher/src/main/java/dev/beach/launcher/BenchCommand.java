package dev.beach.launcher;

import dev.beach.bench.Bench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code beach bench <scenario> [args]}: hands everything to the benchmark module's entry point. */
@Command(name = "bench", description = {
  "Runs a benchmark scenario (rpc, actors, gateway, ...) and prints its figures, ending with one line of JSON.",
  "Arguments after the scenario are the scenario's own. See docs/BENCHMARKS.md."})
public final class BenchCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "SCENARIO [ARGS]", description = "scenario name and its arguments")
  List<String> args;

  @Override
  public Integer call() throws Exception {
    Bench.main(args.toArray(new String[0]));
    return 0;
  }
}
