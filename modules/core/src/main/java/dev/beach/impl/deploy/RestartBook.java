package dev.beach.impl.deploy;

import dev.beach.Deployment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * One deployment's restart history, kept by the leader: restarts within the window (exponential backoff and the
 * crash-loop limit come from it), the instances waiting out a backoff, the instances the policy does not replace,
 * whether the deployment failed and its last error. Reset when the deployment is applied again (a new generation).
 * Saved with the deployment's status, so a new leader starts from it instead of from nothing.
 */
final class RestartBook {

  private final long generation;
  private final ArrayDeque<Long> restarts = new ArrayDeque<>();
  private final Map<String, Long> notBefore = new HashMap<>();
  private final TreeSet<String> retired = new TreeSet<>();
  private boolean failed;
  private JsonObject lastError;

  RestartBook(long generation) {
    this.generation = generation;
  }

  long generation() {
    return generation;
  }

  boolean failed() {
    return failed;
  }

  JsonObject lastError() {
    return lastError;
  }

  boolean retired(String instance) {
    return retired.contains(instance);
  }

  int retiredCount() {
    return retired.size();
  }

  /** When {@code instance} may start again (0: now). */
  long notBefore(String instance) {
    return notBefore.getOrDefault(instance, 0L);
  }

  /** Restarts counted within the window ending {@code now}. */
  int restarts(Deployment d, long now) {
    trim(d, now);
    return restarts.size();
  }

  /**
   * Records that {@code instance} lost its actor for {@code loss}, applying the deployment's policy.
   *
   * @return the delay before it may start again (0: at once), or -1 when it is not to be replaced (retired, or the
   * deployment just failed)
   */
  long lost(Deployment d, String instance, Loss loss, JsonObject error, long now) {
    if (error != null) {
      lastError = error;
    }
    switch (loss.under(d.getRestart())) {
      case REPLACE:
        return 0;
      case RETIRE:
        retired.add(instance);
        return -1;
      case RESTART:
      default:
        trim(d, now);
        restarts.add(now);
        if (restarts.size() > d.getMaxRestarts()) {
          failed = true;
          if (lastError == null) {
            lastError = new JsonObject().put("code", 500).put("message", "instance " + instance + " " + loss.text());
          }
          return -1;
        }
        long delay = backoff(d, restarts.size());
        notBefore.put(instance, now + delay);
        return delay;
    }
  }

  /** initial × 2^(n-1), at most max: n is the number of restarts within the window, this one included. */
  static long backoff(Deployment d, int n) {
    long delay = d.getBackoffInitialMs();
    for (int i = 1; i < n && delay < d.getBackoffMaxMs(); i++) {
      delay *= 2;
    }
    return Math.min(delay, d.getBackoffMaxMs());
  }

  /** Forgets what no longer matters: instances that run again, or that the deployment no longer has. */
  void started(String instance) {
    notBefore.remove(instance);
  }

  private void trim(Deployment d, long now) {
    while (!restarts.isEmpty() && restarts.peekFirst() <= now - d.getWindowMs()) {
      restarts.pollFirst();
    }
  }

  JsonObject toJson() {
    return new JsonObject().put("generation", generation).put("restarts", new JsonArray(new java.util.ArrayList<>(restarts)))
      .put("retired", new JsonArray(new java.util.ArrayList<>(retired))).put("failed", failed).put("lastError", lastError);
  }

  /**
   * A new leader's copy. Backoff deadlines are not kept: the new leader restarts a waiting instance at once, the
   * conservative choice (the restart is still counted, so a crash loop still fails the deployment).
   */
  static RestartBook fromJson(JsonObject json) {
    RestartBook book = new RestartBook(json.getLong("generation", 0L));
    json.getJsonArray("restarts", new JsonArray()).forEach(t -> book.restarts.add(((Number) t).longValue()));
    json.getJsonArray("retired", new JsonArray()).forEach(i -> book.retired.add((String) i));
    book.failed = json.getBoolean("failed", false);
    book.lastError = json.getJsonObject("lastError");
    return book;
  }
}
