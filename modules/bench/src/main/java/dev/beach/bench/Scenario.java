package dev.beach.bench;

import io.vertx.core.json.JsonObject;

/**
 * One benchmark. {@link #run} prints progress as it likes and returns its figures; {@link Bench} prints them
 * as the closing JSON line ({@code {"scenario": name, ...}}). Register implementations in
 * {@code META-INF/services/dev.beach.bench.Scenario}.
 */
public interface Scenario {

  String name();

  /** One line for {@code beach bench --help}. */
  String description();

  /**
   * Runs with {@code options}: read every option first, then call {@link Options#done()} so that a mistyped
   * one fails before anything starts.
   */
  JsonObject run(Options options) throws Exception;
}
