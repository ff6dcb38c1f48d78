package dev.beach;

import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deployment as the cluster runs it: the record (private parameters left out), desired against actual actors,
 * where they run, its state, restarts and last error. Written by the reconciling leader; read from any node.
 * JSON: {@code {name, deployment, desired, actual, perNode: {node: count}, state, restarts, lastError, message,
 * updatedAt}}.
 */
public final class DeploymentStatus {

  /** How a deployment is doing. */
  public enum State {
    /** Actors are being started, moved or replaced: the leader is working towards the desired count. */
    PROGRESSING,
    /** Every desired actor runs. */
    AVAILABLE,
    /** Fewer actors than desired and the leader cannot fix it now: waiting out a backoff, no node matches, or
     * instances the restart policy does not replace. {@link #message()} says which. */
    DEGRADED,
    /** Crash loop: more restarts than {@code maxRestarts} within {@code windowMs}; nothing is restarted until the
     * deployment is applied again. {@link #lastError()} says why. */
    FAILED;

    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static State parse(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }

  private final String name;
  private final JsonObject deployment;
  private final int desired;
  private final int actual;
  private final Map<String, Integer> perNode;
  private final State state;
  private final int restarts;
  private final JsonObject lastError;
  private final String message;
  private final long updatedAt;

  /**
   * @param deployment the record's public JSON form ({@link Deployment#toJson(boolean) toJson(false)})
   * @param lastError  the last failure's {@link BeachException#toJson()}, or null
   */
  public DeploymentStatus(String name, JsonObject deployment, int desired, int actual, Map<String, Integer> perNode,
                          State state, int restarts, JsonObject lastError, String message, long updatedAt) {
    this.name = name;
    this.deployment = deployment;
    this.desired = desired;
    this.actual = actual;
    this.perNode = Collections.unmodifiableMap(new TreeMap<>(perNode));
    this.state = state;
    this.restarts = restarts;
    this.lastError = lastError;
    this.message = message;
    this.updatedAt = updatedAt;
  }

  public static DeploymentStatus fromJson(JsonObject json) {
    Map<String, Integer> perNode = new TreeMap<>();
    json.getJsonObject("perNode", new JsonObject()).forEach(e -> perNode.put(e.getKey(), ((Number) e.getValue()).intValue()));
    return new DeploymentStatus(json.getString("name"), json.getJsonObject("deployment"), json.getInteger("desired", 0),
      json.getInteger("actual", 0), perNode, State.parse(json.getString("state", "progressing")),
      json.getInteger("restarts", 0), json.getJsonObject("lastError"), json.getString("message"),
      json.getLong("updatedAt", 0L));
  }

  public String name() {
    return name;
  }

  /** The record as stored, private ({@code _}) parameters left out. */
  public JsonObject deployment() {
    return deployment == null ? null : deployment.copy();
  }

  /** How many actors the deployment asks for now ({@code perNode} × matching nodes for a per-node one). */
  public int desired() {
    return desired;
  }

  /** How many of the desired instances have a running actor. */
  public int actual() {
    return actual;
  }

  /** Running actors of the deployment by node id. */
  public Map<String, Integer> perNode() {
    return perNode;
  }

  public State state() {
    return state;
  }

  /** Restarts counted against the crash-loop limit, within the deployment's window. */
  public int restarts() {
    return restarts;
  }

  /** The last failure ({@code {code, message, ...}}), or null. */
  public JsonObject lastError() {
    return lastError == null ? null : lastError.copy();
  }

  /** Why the state is what it is, in words (null when there is nothing to say). */
  public String message() {
    return message;
  }

  public long updatedAt() {
    return updatedAt;
  }

  public JsonObject toJson() {
    JsonObject nodes = new JsonObject();
    perNode.forEach(nodes::put);
    JsonObject json = new JsonObject().put("name", name).put("deployment", deployment).put("desired", desired)
      .put("actual", actual).put("perNode", nodes).put("state", state.text()).put("restarts", restarts)
      .put("updatedAt", updatedAt);
    if (lastError != null) {
      json.put("lastError", lastError);
    }
    if (message != null) {
      json.put("message", message);
    }
    return json;
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
