package dev.beach.impl.hosting;

import java.util.Objects;

/**
 * Which deployment instance an actor is: the deployment's name, the instance key and the revision it runs. A node
 * starts at most one actor per tag, so a start asked twice (a retried control call, two passes of the leader)
 * starts one actor.
 */
public record InstanceTag(String deployment, String instance, String revision) {

  public InstanceTag {
    Objects.requireNonNull(deployment);
    Objects.requireNonNull(instance);
    Objects.requireNonNull(revision);
  }

  /** A per-node instance key names its node ({@code "0@<node>"}); it is never moved elsewhere. */
  public boolean perNode() {
    return instance.indexOf('@') >= 0;
  }

  String key() {
    return deployment + '/' + instance + '/' + revision;
  }
}
