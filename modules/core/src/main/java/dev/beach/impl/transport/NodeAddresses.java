package dev.beach.impl.transport;

import dev.beach.ActorInfo;
import dev.beach.Address;

import java.util.concurrent.ConcurrentHashMap;

/** Node and lane addresses, built (and validated) once per node rather than per request. */
public final class NodeAddresses {

  private final ConcurrentHashMap<String, String> cache = new ConcurrentHashMap<>();

  /** {@code beach._node.<id>}. */
  public String of(String nodeId) {
    return cache.computeIfAbsent(nodeId, Address::node);
  }

  /** Where actor traffic for {@code actor} goes: its node's lane for its loop when known, else its node. */
  public String of(ActorInfo actor) {
    int lane = actor.lane();
    return lane < 0 ? of(actor.node())
      : cache.computeIfAbsent(actor.node() + "#" + lane, k -> Address.nodeLane(actor.node(), lane));
  }
}
