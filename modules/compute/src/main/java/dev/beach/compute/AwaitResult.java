package dev.beach.compute;

import java.util.Collections;
import java.util.List;

/**
 * What {@link Jobs#awaitAll} saw: the positions (in the list it was given) of the futures that succeeded,
 * failed, and had not completed when the time ran out.
 */
public final class AwaitResult {

  private final List<Integer> succeeded;
  private final List<Integer> failed;
  private final List<Integer> timedOut;

  public AwaitResult(List<Integer> succeeded, List<Integer> failed, List<Integer> timedOut) {
    this.succeeded = Collections.unmodifiableList(succeeded);
    this.failed = Collections.unmodifiableList(failed);
    this.timedOut = Collections.unmodifiableList(timedOut);
  }

  public List<Integer> succeeded() {
    return succeeded;
  }

  public List<Integer> failed() {
    return failed;
  }

  /** Futures still pending at the deadline (they may complete later; awaiting does not cancel them). */
  public List<Integer> timedOut() {
    return timedOut;
  }

  /** Whether every future completed (successfully or not) before the deadline. */
  public boolean allCompleted() {
    return timedOut.isEmpty();
  }

  @Override
  public String toString() {
    return "AwaitResult{succeeded=" + succeeded + ", failed=" + failed + ", timedOut=" + timedOut + "}";
  }
}
