package dev.beach.impl.hosting;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The actors running on this node, by id: what inbound routing, local callers and the control plane look up. */
public final class Cells {

  private final ConcurrentHashMap<String, ActorCell> byId = new ConcurrentHashMap<>();

  /** The local actor {@code actorId}, or null. */
  public ActorCell get(String actorId) {
    return byId.get(actorId);
  }

  public Collection<ActorCell> all() {
    return byId.values();
  }

  public int size() {
    return byId.size();
  }

  /** Ids of the local actors of {@code realm} (null: any) reached by {@code category} (null: any). */
  public List<String> ids(String realm, String category) {
    List<String> out = new ArrayList<>();
    for (ActorCell c : byId.values()) {
      if ((realm == null || c.realm().equals(realm)) && (category == null || c.info().reachedBy(category))) {
        out.add(c.id());
      }
    }
    return out;
  }

  void put(ActorCell cell) {
    byId.put(cell.id(), cell);
  }

  ActorCell remove(String actorId) {
    return byId.remove(actorId);
  }

  boolean remove(String actorId, ActorCell cell) {
    return byId.remove(actorId, cell);
  }
}
