package dev.beach.impl.hosting;

import dev.beach.ActorInfo;
import dev.beach.impl.transport.Lanes;
import io.vertx.core.internal.ContextInternal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The actors running on this node, by id: what inbound routing, local callers and the control plane look up. */
public final class Cells {

  private final ConcurrentHashMap<String, ActorCell> byId = new ConcurrentHashMap<>();
  /** The node's event-loop lanes, which the directory's entries name: null where no actor runs (log tests). */
  private final Lanes lanes;

  public Cells(Lanes lanes) {
    this.lanes = lanes;
  }

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

  /**
   * Where a request from the calling thread goes when {@code chosen}, one of {@code candidates}, is an actor of
   * this node: to a candidate that answers it on this very thread ({@link ActorCell#answersInlineHere}: on the
   * caller's event loop, idle, quick), else to {@code chosen}. Two thread hops are most of what a local request
   * costs, so a gateway or a job on an event loop that hosts one of the actors saves them; a busy or slow actor is
   * left out, so real work still spreads over the loops. A call made from inside an actor's handler keeps
   * {@code chosen}: answered inline it would run other actors in the middle of that handler.
   */
  public ActorInfo preferInline(ActorInfo chosen, ActorInfo[] candidates, String nodeId) {
    ContextInternal current = ContextInternal.current();
    if (current == null || lanes == null || ActorCell.inHandler()) {
      return chosen;
    }
    int lane = lanes.laneOf(current);
    if (lane < 0) {
      return chosen;
    }
    for (ActorInfo a : candidates) {
      if (a.lane() == lane && a.node().equals(nodeId)) {
        ActorCell cell = byId.get(a.id());
        if (cell != null && cell.answersInlineHere()) {
          return a;
        }
      }
    }
    return chosen;
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
