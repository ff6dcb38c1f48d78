package dev.beach.compute.impl;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import io.vertx.core.json.JsonObject;

/** The job-level failures: what went wrong, plus what completed, so nobody has to guess what was lost. */
final class Failures {

  private Failures() {
  }

  /** The inputs could not be read: the caller's side, so 400, with the underlying reason. */
  static BeachException input(String what, Throwable cause) {
    String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    if ("The current record is too long".equals(reason)) {
      reason = "a line is longer than " + dev.beach.compute.JobInput.MAX_LINE_BYTES + " bytes";
    }
    return new BeachException(ErrorCode.BAD_REQUEST, what + ": " + reason, null, null, null, null, null,
      new JsonObject().put("exception", cause.getClass().getName()));
  }

  /** {@code error} located at the job, with the job's counters and the completed index ranges in the details. */
  static BeachException ofJob(BeachException error, JobBase job, RangeSet completed) {
    dev.beach.compute.JobProgress p = job.progress();
    BeachException e = error.locate(job.realm(), job.category(), null, null, job.op())
      .withDetail("job", job.id())
      .withDetail("done", p.done())
      .withDetail("failed", p.failed())
      .withDetail("total", p.total());
    return completed == null ? e : e.withDetail("completed", completed.toJson(RangeSet.MAX_LISTED))
      .withDetail("completedRangesTruncated", completed.size() > RangeSet.MAX_LISTED);
  }
}
