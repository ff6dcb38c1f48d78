package dev.beach.compute;

import java.util.Locale;

/** Where a job is. Every job reaches one of the ended states; none stays {@link #RUNNING} forever. */
public enum JobState {
  RUNNING,
  /** Every input yielded a result; some results may be per-item failures. */
  SUCCEEDED,
  /** The job as a whole failed: no worker left, unreadable input. */
  FAILED,
  /** {@link Job#cancel()} (or a closed {@link JobSession}) stopped it. */
  CANCELLED,
  /** {@link JobOptions#getJobTimeoutMs()} passed. */
  TIMED_OUT;

  public boolean ended() {
    return this != RUNNING;
  }

  /** The JSON name: {@code running}, {@code succeeded}, {@code failed}, {@code cancelled}, {@code timed_out}. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static JobState fromJson(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
