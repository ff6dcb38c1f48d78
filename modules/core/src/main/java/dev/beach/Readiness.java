package dev.beach;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a node should get traffic ({@code GET /health/ready}): not before the deployments it applies at start run
 * (each available and listed on this node, or failed, or {@code node.readyTimeoutMs} passed), and not while it
 * drains. {@link #waitingFor()} says, in words, what it still waits for. JSON: {@code {ready, waitingFor: [...]}}.
 */
public final class Readiness {

  public static final Readiness READY = new Readiness(true, List.of());

  private final boolean ready;
  private final List<String> waitingFor;

  private Readiness(boolean ready, List<String> waitingFor) {
    this.ready = ready;
    this.waitingFor = List.copyOf(waitingFor);
  }

  /** Not ready, waiting for each of {@code what} (one line each, e.g. "deployment global-echo: progressing, 1/2"). */
  public static Readiness waiting(List<String> what) {
    return what.isEmpty() ? READY : new Readiness(false, what);
  }

  public boolean ready() {
    return ready;
  }

  /** What the node waits for before it is ready; empty when it is. */
  public List<String> waitingFor() {
    return waitingFor;
  }

  public JsonObject toJson() {
    return new JsonObject().put("ready", ready).put("waitingFor", new JsonArray(new ArrayList<>(waitingFor)));
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
