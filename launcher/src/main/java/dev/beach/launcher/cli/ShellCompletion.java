package dev.beach.launcher.cli;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import static dev.beach.launcher.cli.GatewayClient.seg;

/**
 * What tab completes in {@code beach shell}: command names first; realms after {@code realm} and
 * {@code --realm}; categories of the current realm after the dispatch commands and {@code --category}.
 * Realm and category lists come from the gateway and are kept for a few seconds.
 */
final class ShellCompletion {

  static final long CACHE_MS = 3000;
  private static final Set<String> DISPATCH = Set.of("request", "shoot", "broadcast", "all");

  private final Session session;
  private final Set<String> commands;
  private List<String> realms;
  private long realmsAt;
  private String categoriesRealm;
  private List<String> categories;
  private long categoriesAt;

  ShellCompletion(Session session, java.util.Collection<String> commands) {
    this.session = session;
    this.commands = new TreeSet<>(commands);
  }

  /**
   * Candidates for word {@code index} of {@code words} (the word being typed may be partial or empty);
   * callers filter by prefix.
   */
  List<String> candidates(List<String> words, int index) {
    if (index == 0) {
      return new ArrayList<>(commands);
    }
    String command = words.get(0);
    String previous = words.get(index - 1);
    if ("--realm".equals(previous) || "-r".equals(previous) || "realm".equals(command) && index == 1) {
      return realms();
    }
    if ("--category".equals(previous) || "-c".equals(previous) || DISPATCH.contains(command) && index == 1) {
      return categories();
    }
    if ("help".equals(command) && index == 1) {
      return new ArrayList<>(commands);
    }
    return List.of();
  }

  private List<String> realms() {
    long now = System.currentTimeMillis();
    if (realms == null || now - realmsAt > CACHE_MS) {
      realms = names(() -> session.client.get("/v1/realms").array().stream()
        .map(r -> ((JsonObject) r).getString("name")).collect(java.util.stream.Collectors.toList()));
      realmsAt = now;
    }
    return realms;
  }

  private List<String> categories() {
    long now = System.currentTimeMillis();
    String realm = session.realm();
    if (categories == null || !realm.equals(categoriesRealm) || now - categoriesAt > CACHE_MS) {
      categories = names(() -> session.client.get("/v1/realms/" + seg(realm) + "/categories").array().stream()
        .map(c -> ((JsonObject) c).getString("name")).collect(java.util.stream.Collectors.toList()));
      categoriesRealm = realm;
      categoriesAt = now;
    }
    return categories;
  }

  /** Completion must never break the line being typed: an unreachable gateway completes nothing. */
  private static List<String> names(Supplier<List<String>> fetch) {
    try {
      return new ArrayList<>(new TreeSet<>(fetch.get()));
    } catch (CliException e) {
      return List.of();
    }
  }
}
