package dev.beach.bench;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One benchmark. {@link #run} prints progress as it likes and returns its figures; {@link Bench} prints them
 * as the closing JSON line ({@code {"scenario": name, ...}}). Register implementations in
 * {@code META-INF/services/dev.beach.bench.Scenario}.
 */
public interface Scenario {

  String name();

  /** One line for {@code beach bench --help}. */
  String description();

  JsonObject run(List<String> args) throws Exception;
}
