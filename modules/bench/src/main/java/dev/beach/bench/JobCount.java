package dev.beach.bench;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * The results of one job as its client reads them ({@code GET /v1/jobs/{id}/results}: NDJSON {@code {i, ok,
 * value|error}}, perhaps ending with {@code {"error": ...}}), where input {@code i} was {@code {"id": i}} and the
 * worker answers its input: every index must come back exactly once, carrying its own id. Counts what came back
 * twice, what carried another item's id, which items failed and with what, and, once the job has ended, what never
 * came back. Not thread-safe: one reader per job.
 */
final class JobCount {

  /** How a job ended, as its client saw it. */
  enum Outcome {
    /** The results ended without an error line: every index must be there. */
    SUCCEEDED,
    /** The results (or the start) ended with the job's error: what is missing is reported, not lost. */
    FAILED,
    /** The node the client talked to (which holds the job) was killed or frozen: the job went with it. */
    INTERRUPTED,
    /** Nothing moved for the stall bound while the node the client talked to was up: a hang. */
    STALLED,
    /** The connection broke while the node the client talked to was up: a job ended without a word. */
    BROKEN
  }

  private final long total;
  private final BitSet seen = new BitSet();
  private long distinct;
  private long duplicated;
  private long wrongId;
  private long unreadable;
  private long failedItems;
  private final Map<String, Long> itemErrors = new TreeMap<>();
  private String jobError;

  JobCount(long total) {
    this.total = total;
  }

  /** One line of the results stream. */
  void line(String line) {
    if (line.isBlank()) {
      return;
    }
    JsonObject r;
    try {
      r = new JsonObject(line);
    } catch (DecodeException e) {
      unreadable++;
      return;
    }
    if (r.containsKey("error") && !r.containsKey("i")) {
      JsonObject error = r.getValue("error") instanceof JsonObject ? r.getJsonObject("error") : new JsonObject();
      jobError = error.getValue("code", "?") + " " + error.getString("message", "");
      return;
    }
    Object i = r.getValue("i");
    if (!(i instanceof Number) || ((Number) i).longValue() < 0 || ((Number) i).longValue() >= total) {
      unreadable++;
      return;
    }
    int index = (int) ((Number) i).longValue();
    if (seen.get(index)) {
      duplicated++;
    } else {
      seen.set(index);
      distinct++;
    }
    if (Boolean.TRUE.equals(r.getValue("ok"))) {
      Object value = r.getValue("value");
      Object id = value instanceof JsonObject ? ((JsonObject) value).getValue("id") : null;
      if (!(id instanceof Number) || ((Number) id).longValue() != index) {
        wrongId++;
      }
    } else {
      failedItems++;
      Object e = r.getValue("error");
      Object code = e instanceof JsonObject ? ((JsonObject) e).getValue("code") : null;
      itemErrors.merge(String.valueOf(code), 1L, Long::sum);
    }
  }

  /** The job was refused or its results could not be had: what the node answered instead. */
  void failedToStart(String answer) {
    jobError = answer.length() > 300 ? answer.substring(0, 300) : answer;
  }

  long total() {
    return total;
  }

  long distinct() {
    return distinct;
  }

  long duplicated() {
    return duplicated;
  }

  /** Results that carried another item's id (or none): a result given to the wrong index. */
  long wrongId() {
    return wrongId;
  }

  /** Lines that were not a result of this job (bad JSON, an index out of range). */
  long unreadable() {
    return unreadable;
  }

  long failedItems() {
    return failedItems;
  }

  /** Failed items by error code. */
  Map<String, Long> itemErrors() {
    return itemErrors;
  }

  /** The job's own error line, {@code "<code> <message>"}, or null. */
  String jobError() {
    return jobError;
  }

  /** Indexes that never came back. */
  long missing() {
    return total - distinct;
  }

  /** A results stream that ended cleanly: succeeded unless the job said it failed. */
  Outcome endedCleanly() {
    return jobError == null ? Outcome.SUCCEEDED : Outcome.FAILED;
  }
}
