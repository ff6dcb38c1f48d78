package dev.beach.impl.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;

import java.util.ArrayList;
import java.util.List;

/**
 * The member list as Hazelcast has it now, oldest first, and a version of it to fence actions with.
 * <p>
 * Hazelcast keeps a member-list version, but only in internal classes ({@code MembershipManager}); its public API
 * ({@code Cluster}, {@code MembershipEvent}) has none. So the version here is a 64-bit hash of the ordered list of
 * member UUIDs: it changes when the list does (a join, a departure, a merge), every member computes it alike, and
 * two members agree on it when they see the same list (up to a hash collision, about 2^-64). The
 * leader stamps each action with it and the receiving node refuses an action whose version is not its own, so a
 * leader that lost its place (or the oldest of a minority after a merge) never acts on a stale view.
 *
 * @param nodes   the Vert.x node ids of the members, oldest first (the first is the leader)
 * @param version a hash of the ordered member UUIDs: equal on two members when they see the same list
 */
public record ClusterView(List<String> nodes, String version) {

  public ClusterView {
    nodes = List.copyOf(nodes);
  }

  /** The view of {@code hz}; a single node ({@code selfId}) without a cluster. */
  public static ClusterView of(HazelcastInstance hz, String selfId) {
    if (hz == null) {
      return new ClusterView(List.of(selfId), "single:" + selfId);
    }
    List<String> nodes = new ArrayList<>();
    long hash = 1125899906842597L;
    int count = 0;
    try {
      for (Member m : hz.getCluster().getMembers()) {
        String id = HazelcastSupport.nodeIdOf(m);
        hash = 31 * (31 * hash + m.getUuid().getMostSignificantBits()) + m.getUuid().getLeastSignificantBits();
        count++;
        if (id != null) {
          nodes.add(id);
        }
      }
    } catch (RuntimeException e) {
      // Hazelcast shutting down: no view, so nobody here leads
      return new ClusterView(List.of(), "none");
    }
    return new ClusterView(nodes, count + ":" + Long.toHexString(hash));
  }

  /** The oldest member's node id: the one that reconciles. Null when the view is empty. */
  public String leader() {
    return nodes.isEmpty() ? null : nodes.get(0);
  }

  public boolean leads(String nodeId) {
    return nodeId.equals(leader());
  }
}
