package dev.beach.bench;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A scenario's options, {@code --name value} or a bare {@code --flag}. Each scenario asks for the options it
 * knows, with their defaults, then calls {@link #done()}: an option nobody asked for (a typo such as
 * {@code --second 5}) is an error rather than a run with the default.
 */
public final class Options {

  private final Map<String, String> given = new HashMap<>();
  private final Set<String> asked = new LinkedHashSet<>();

  Options(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new IllegalArgumentException("expected an option (--name), got '" + arg + "'");
      }
      boolean hasValue = i + 1 < args.size() && !args.get(i + 1).startsWith("--");
      given.put(arg.substring(2), hasValue ? args.get(++i) : "");
    }
  }

  /** A whole number, e.g. {@code --items 1000000}. */
  public long number(String name, long def) {
    String v = raw(name);
    if (v == null) {
      return def;
    }
    try {
      return Long.parseLong(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " needs a whole number, got '" + v + "'");
    }
  }

  /** A duration in seconds, fractions allowed ({@code --seconds 0.5}), at least 0. */
  public double seconds(String name, double def) {
    String v = raw(name);
    if (v == null) {
      return def;
    }
    try {
      double d = Double.parseDouble(v);
      if (d >= 0 && d < 86_400) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--" + name + " needs seconds (e.g. 2 or 0.5), got '" + v + "'");
  }

  /**
   * A duration with a unit, {@code 90s}, {@code 3m}, {@code 1h}, or plain seconds ({@code 2.5}), returned in seconds;
   * at least 0 and under a day.
   */
  public double duration(String name, double defSeconds) {
    String v = raw(name);
    if (v == null) {
      return defSeconds;
    }
    String number = v;
    double unit = 1;
    if (v.endsWith("ms")) {
      number = v.substring(0, v.length() - 2);
      unit = 0.001;
    } else if (v.endsWith("s") || v.endsWith("m") || v.endsWith("h")) {
      number = v.substring(0, v.length() - 1);
      unit = v.endsWith("h") ? 3600 : v.endsWith("m") ? 60 : 1;
    }
    try {
      double d = Double.parseDouble(number) * unit;
      if (d >= 0 && d < 86_400 && !number.isEmpty() && Character.isDigit(number.charAt(number.length() - 1))) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--" + name + " needs a duration (e.g. 90s, 3m, 1h or seconds), got '" + v + "'");
  }

  /** Whether {@code --name} was given, with or without a value. */
  public boolean flag(String name) {
    return raw(name) != null;
  }

  /** The value of {@code --name}, or {@code def} when it is absent or given without a value. */
  public String text(String name, String def) {
    String v = raw(name);
    return v == null || v.isEmpty() ? def : v;
  }

  /** Fails when an option was given that no one asked for. */
  public void done() {
    Set<String> unknown = new LinkedHashSet<>(given.keySet());
    unknown.removeAll(asked);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown option" + (unknown.size() > 1 ? "s" : "") + " --"
        + String.join(", --", unknown) + "; this scenario takes --" + String.join(", --", asked));
    }
  }

  private String raw(String name) {
    asked.add(name);
    return given.get(name);
  }
}
