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
 * {@code --realm}; categories of the current realm after the dispatch commands and {@code --category}; deployment
 * names after {@code scale}, {@code deployments} and {@code rollout restart} ({@code restart} after {@code rollout}).
 * Realm, category and deployment lists come from the gateway and are kept for a few seconds.
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
  private List<String> deployments;
  private long deploymentsAt;

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
    if (("scale".equals(command) || "deployments".equals(command)) && index == 1
      || "rollout".equals(command) && index == 2 && "restart".equals(words.get(1))) {
      return deployments();
    }
    if ("rollout".equals(command) && index == 1) {
      return List.of("restart");
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

  private List<String> deployments() {
    long now = System.currentTimeMillis();
    if (deployments == null || now - deploymentsAt > CACHE_MS) {
      deployments = names(() -> session.client.get("/v1/deployments").array().stream()
        .map(d -> ((JsonObject) d).getString("name")).collect(java.util.stream.Collectors.toList()));
      deploymentsAt = now;
    }
    return deployments;
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
