package dev.beach;

import io.vertx.core.json.JsonObject;

/** One actor's outcome in {@link ActorHandle#requestAll}: its reply or its typed error. */
public final class ActorReply {

  private final String actor;
  private final String node;
  private final Object data;
  private final BeachException error;

  private ActorReply(String actor, String node, Object data, BeachException error) {
    this.actor = actor;
    this.node = node;
    this.data = data;
    this.error = error;
  }

  public static ActorReply success(String actor, String node, Object data) {
    return new ActorReply(actor, node, data, null);
  }

  public static ActorReply failure(String actor, String node, BeachException error) {
    return new ActorReply(actor, node, null, error);
  }

  public String actor() {
    return actor;
  }

  public String node() {
    return node;
  }

  public boolean ok() {
    return error == null;
  }

  @SuppressWarnings("unchecked")
  public <T> T data() {
    return (T) data;
  }

  public BeachException error() {
    return error;
  }

  /** {@code {actor, node, ok, data|error}}: the gateway's {@code mode=all} element. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("actor", actor).put("node", node).put("ok", ok());
    return ok() ? json.put("data", data) : json.put("error", error.toJson());
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
