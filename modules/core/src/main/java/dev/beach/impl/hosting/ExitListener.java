package dev.beach.impl.hosting;

import dev.beach.ActorInfo;
import dev.beach.BeachException;

/**
 * Told when a local actor that a deployment keeps running ({@link ActorInfo#deployment()} set) stops, and why,
 * before the directory forgets it: the reconciler above decides from the reason whether to replace it. Implemented
 * by the layer above (a lower layer calls up through an interface it owns).
 */
@FunctionalInterface
public interface ExitListener {

  /** Why an actor stopped. */
  enum Reason {
    /** Stopped through the API or the control plane (by a person, or by the reconciler itself). */
    STOPPED,
    /** Stopped by its node draining (shutdown, drain): its instance belongs on another node now. */
    DRAINED,
    /** Stopped itself without an error. */
    EXITED,
    /** Stopped itself with an error. */
    FAILED
  }

  /** @param error the failure for {@link Reason#FAILED}, else null */
  void exited(ActorInfo actor, Reason reason, BeachException error);
}
