package dev.beach.compute;

import java.util.Collections;
import java.util.List;

/**
 * A gathered job's outcome: one value per input in input order, and every per-item failure. A failed item's
 * value is null and it is listed in {@link #errors()}: partial results, never a silent drop.
 */
public final class JobResult {

  private final List<Object> values;
  private final List<ItemResult> errors;
  private final JobProgress progress;

  public JobResult(List<Object> values, List<ItemResult> errors, JobProgress progress) {
    this.values = Collections.unmodifiableList(values);
    this.errors = Collections.unmodifiableList(errors);
    this.progress = progress;
  }

  /** The values in input order; null at the position of a failed item (and for items whose value was null). */
  public List<Object> values() {
    return values;
  }

  @SuppressWarnings("unchecked")
  public <T> T value(int index) {
    return (T) values.get(index);
  }

  /** The failed items in input order, each with its index and error. */
  public List<ItemResult> errors() {
    return errors;
  }

  /** Whether every item yielded a value. */
  public boolean ok() {
    return errors.isEmpty();
  }

  public int size() {
    return values.size();
  }

  /** The final counters: done, failed, total, rate, elapsed time. */
  public JobProgress progress() {
    return progress;
  }

  @Override
  public String toString() {
    return "JobResult{size=" + values.size() + ", errors=" + errors.size() + ", progress=" + progress + "}";
  }
}
