package dev.beach.launcher.cli;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Human output: aligned tables, durations, byte sizes. */
final class Format {

  private Format() {
  }

  static String pretty(Object value) {
    if (value instanceof JsonObject) {
      return ((JsonObject) value).encodePrettily();
    }
    if (value instanceof JsonArray) {
      return ((JsonArray) value).encodePrettily();
    }
    return Json.encode(value);
  }

  /** A table: a header row, then rows, columns padded to the widest cell. */
  static final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    Table(String... header) {
      rows.add(header);
      columns = header.length;
    }

    Table row(Object... cells) {
      String[] r = new String[columns];
      for (int i = 0; i < columns; i++) {
        r[i] = i < cells.length && cells[i] != null ? String.valueOf(cells[i]) : "";
      }
      rows.add(r);
      return this;
    }

    int size() {
      return rows.size() - 1;
    }

    @Override
    public String toString() {
      int[] width = new int[columns];
      for (String[] r : rows) {
        for (int i = 0; i < columns; i++) {
          width[i] = Math.max(width[i], r[i].length());
        }
      }
      StringBuilder out = new StringBuilder();
      for (String[] r : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < columns; i++) {
          line.append(r[i]);
          if (i < columns - 1) {
            line.append(" ".repeat(width[i] - r[i].length() + 2));
          }
        }
        out.append(line.toString().stripTrailing()).append('\n');
      }
      return out.toString();
    }
  }

  static String duration(long ms) {
    long s = ms / 1000;
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + s % 60 + "s";
    }
    if (s < 86400) {
      return s / 3600 + "h" + s % 3600 / 60 + "m";
    }
    return s / 86400 + "d" + s % 86400 / 3600 + "h";
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + "B";
    }
    if (n < 1024 * 1024) {
      return n / 1024 + "K";
    }
    if (n < 1024L * 1024 * 1024) {
      return n / (1024 * 1024) + "M";
    }
    return String.format(Locale.ROOT, "%.1fG", n / (1024.0 * 1024 * 1024));
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
  }

  static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.2f", d);
  }

  /** The array's values separated by spaces. */
  static String words(JsonArray array) {
    return join(array).replace(',', ' ');
  }

  static String join(JsonArray array) {
    List<String> parts = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> parts.add(String.valueOf(v)));
    }
    return String.join(",", parts);
  }
}
