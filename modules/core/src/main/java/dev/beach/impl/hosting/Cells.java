package dev.beach.impl.hosting;

import dev.beach.ActorInfo;
import dev.beach.ActorSpec;
import dev.beach.impl.transport.Lanes;
import io.vertx.core.internal.ContextInternal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/** The actors running on this node, by id: what inbound routing, local callers and the control plane look up. */
public final class Cells {

  private final ConcurrentHashMap<String, ActorCell> byId = new ConcurrentHashMap<>();
  /** The node's event-loop lanes, which the directory's entries name: null where no actor runs (log tests). */
  private final Lanes lanes;

  /** Running actors per lane, of each kind (realm and categories) and in all: where the next one goes. */
  private final ConcurrentHashMap<String, AtomicIntegerArray> perKind = new ConcurrentHashMap<>();
  private final AtomicIntegerArray perLane;

  public Cells(Lanes lanes) {
    this.lanes = lanes;
    this.perLane = new AtomicIntegerArray(lanes == null ? 0 : lanes.contexts().size());
  }

  /**
   * The lane for each of {@code count} new actors of {@code spec}'s kind: the lanes with the fewest of that kind
   * first, then the fewest actors in all. Spread this way, a category with as many actors as the node has event
   * loops has one on every loop, so a caller on any loop (the gateway's, a job's) finds one to answer it inline.
   */
  public int[] lanesFor(ActorSpec spec, int count) {
    int n = perLane.length();
    int[] out = new int[count];
    if (n == 0) {
      Arrays.fill(out, -1);
      return out;
    }
    AtomicIntegerArray kind = perKind.get(kind(spec.getRealm(), spec.getCategories()));
    int[] ofKind = new int[n];
    int[] all = new int[n];
    for (int l = 0; l < n; l++) {
      ofKind[l] = kind == null ? 0 : kind.get(l);
      all[l] = perLane.get(l);
    }
    for (int i = 0; i < count; i++) {
      int best = 0;
      for (int l = 1; l < n; l++) {
        if (ofKind[l] < ofKind[best] || ofKind[l] == ofKind[best] && all[l] < all[best]) {
          best = l;
        }
      }
      out[i] = best;
      ofKind[best]++;
      all[best]++;
    }
    return out;
  }

  private static String kind(String realm, List<String> categories) {
    return realm + "/" + String.join(",", categories);
  }

  private void count(ActorCell cell, int delta) {
    int lane = cell.info().lane();
    if (lane < 0 || lane >= perLane.length()) {
      return;
    }
    perLane.addAndGet(lane, delta);
    perKind.computeIfAbsent(kind(cell.realm(), cell.categories()), k -> new AtomicIntegerArray(perLane.length()))
      .addAndGet(lane, delta);
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
   * {@code chosen}: answered inline it would run other actors in the middle of that handler. Only actors running
   * here are found among {@code byId}, so other nodes' candidates drop out by themselves.
   */
  public ActorInfo preferInline(ActorInfo chosen, ActorInfo[] candidates) {
    ContextInternal current = ContextInternal.current();
    if (current == null || lanes == null || ActorCell.inHandler()) {
      return chosen;
    }
    int lane = lanes.laneOf(current);
    if (lane < 0) {
      return chosen;
    }
    for (ActorInfo a : candidates) {
      if (a.lane() == lane) {
        ActorCell cell = byId.get(a.id());
        if (cell != null && cell.answersInlineHere()) {
          return a;
        }
      }
    }
    return chosen;
  }

  void put(ActorCell cell) {
    if (byId.put(cell.id(), cell) == null) {
      count(cell, 1);
    }
  }

  ActorCell remove(String actorId) {
    ActorCell removed = byId.remove(actorId);
    if (removed != null) {
      count(removed, -1);
    }
    return removed;
  }

  boolean remove(String actorId, ActorCell cell) {
    boolean removed = byId.remove(actorId, cell);
    if (removed) {
      count(cell, -1);
    }
    return removed;
  }
}
