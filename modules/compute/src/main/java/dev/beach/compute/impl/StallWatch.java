package dev.beach.compute.impl;

import dev.beach.compute.JobState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * A stall is never silent (issue #11: a job stopped for good and said nothing). When a job's progress mark (items
 * finished, results taken, inputs read) has not moved for {@code warnAfterMs} and the job names something it waits
 * on, it logs one warning saying what; and one line when it moves again. Used on the job's context only.
 */
final class StallWatch {

  /** A job with work outstanding that moves not at all for this long logs what it waits on. */
  static final long STALL_WARN_MS = 30_000;
  private static final Logger LOG = LoggerFactory.getLogger(StallWatch.class);

  private final JobBase job;
  private final long warnAfterMs;
  private long mark = -1;
  private long movedAt;
  private boolean warned;
  private long warnedAt;

  StallWatch(JobBase job, long warnAfterMs) {
    this.job = job;
    this.warnAfterMs = warnAfterMs;
  }

  /**
   * @param progress a number that grows whenever the job moves
   * @param waitsOn  what the job waits on, or null when that is nothing, or something bounded (then no warning)
   * @param counters the job's counters, for the warning
   */
  void check(long now, long progress, Supplier<String> waitsOn, Supplier<String> counters) {
    if (progress != mark) {
      if (warned) {
        LOG.info("job {} moves again after {} ms without progress", job.id, now - movedAt);
      }
      mark = progress;
      movedAt = now;
      warned = false;
      return;
    }
    if (warned || now - movedAt < warnAfterMs) {
      return;
    }
    String waits = waitsOn.get();
    if (waits != null) {
      warned = true;
      warnedAt = now;
      LOG.warn("job {} ({}/{}, op {}) has made no progress for {} ms: {}; {}", job.id, job.realm, job.category, job.op,
        now - movedAt, waits, counters.get());
    }
  }

  /** The job ended: after a warning, the line that closes it (a stall may end with the job, before the next check). */
  void ended(long now, JobState state) {
    if (warned) {
      LOG.info("job {} ended {}, {} ms after its stall warning", job.id, state.jsonName(), now - warnedAt);
      warned = false;
    }
  }
}
