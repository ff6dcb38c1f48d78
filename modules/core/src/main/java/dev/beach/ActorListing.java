package dev.beach;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A cluster-wide listing read live from the hosting nodes within a short bound: the actors the nodes that answered
 * reported, and the nodes that did not answer in time (their actors are missing from it). JSON: {@code {actors,
 * missing}}.
 */
public final class ActorListing {

  private final List<ActorInfo> actors;
  private final List<String> missing;

  public ActorListing(List<ActorInfo> actors, List<String> missing) {
    this.actors = List.copyOf(actors);
    this.missing = List.copyOf(missing);
  }

  /** The actors of the nodes that answered, sorted by id, with their stats. */
  public List<ActorInfo> actors() {
    return actors;
  }

  /** Node ids that did not answer in time, or failed to; empty when the listing is complete. */
  public List<String> missing() {
    return missing;
  }

  public boolean complete() {
    return missing.isEmpty();
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    actors.forEach(a -> list.add(a.toJson()));
    return new JsonObject().put("actors", list).put("missing", new JsonArray(new ArrayList<>(missing)));
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
