package dev.beach.impl.deploy;

import dev.beach.Deployment;
import dev.beach.impl.hosting.ExitListener;

/** Why an instance lost its actor, as far as the leader knows: what its restart policy is applied to. */
enum Loss {
  /** Stopped by hand (API, control plane). */
  STOPPED,
  /** Its node drained (shutdown, drain) without handing it over in time. */
  DRAINED,
  /** It stopped itself without an error. */
  EXITED,
  /** It stopped itself with an error, or vanished from a live node without saying why. */
  FAILED,
  /** Its node left the cluster (died, or was cut off). */
  NODE_LOST,
  /** Its start failed (the class is missing, its start threw). */
  START_FAILED;

  static Loss of(ExitListener.Reason reason) {
    switch (reason) {
      case STOPPED:
        return STOPPED;
      case DRAINED:
        return DRAINED;
      case EXITED:
        return EXITED;
      default:
        return FAILED;
    }
  }

  /** What the policy does about it. */
  enum Outcome {
    /** Replace at once, without counting a restart: the actor is not at fault. */
    REPLACE,
    /** Replace after a backoff, counting a restart against the crash-loop limit. */
    RESTART,
    /** Do not replace: the instance stays empty until the deployment is applied again. */
    RETIRE
  }

  Outcome under(Deployment.Restart policy) {
    switch (this) {
      case NODE_LOST:
      case DRAINED:
        return policy == Deployment.Restart.NEVER ? Outcome.RETIRE : Outcome.REPLACE;
      case STOPPED:
        return policy == Deployment.Restart.ALWAYS ? Outcome.REPLACE : Outcome.RETIRE;
      case EXITED:
        return policy == Deployment.Restart.ALWAYS ? Outcome.RESTART : Outcome.RETIRE;
      case FAILED:
      case START_FAILED:
      default:
        return policy == Deployment.Restart.NEVER ? Outcome.RETIRE : Outcome.RESTART;
    }
  }

  String text() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
