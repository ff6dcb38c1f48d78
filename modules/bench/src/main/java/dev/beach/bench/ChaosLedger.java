package dev.beach.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bookkeeping of a chaos run, kept apart from the processes so that it can be tested alone: the faults and when
 * the desired count came back after each, every request with its deadline and how long the client waited, every
 * job's count of results, and the listing at the end. {@link #violations()} names each broken invariant: no job item
 * lost or duplicated, no request answered later than its deadline plus a margin (unless the node the client spoke
 * to was itself killed or frozen meanwhile), no job that hung, the desired count restored after each fault, and
 * exactly the desired count listed at the end. Times are milliseconds on one clock the caller chooses. Thread-safe.
 */
final class ChaosLedger {

  /** One fault: a node killed (and restarted) or frozen (and resumed). */
  static final class Fault {
    final int number;
    final String kind;
    final String node;
    final long atMs;
    /** When the node served again: up after a restart, resumed after a freeze; -1 while it does not. */
    long backMs = -1;
    /** Since the fault, until the listing showed exactly the desired count, all on serving nodes; -1 if never. */
    long restoredAfterMs = -1;
    /** Since the node served again, until the listing showed exactly the desired count once more; -1 if never. */
    long settledAfterBackMs = -1;
    /** The most actors listed between the fault and the settling: more than desired means duplicates for a while. */
    int mostListed;

    Fault(int number, String kind, String node, long atMs) {
      this.number = number;
      this.kind = kind;
      this.node = node;
      this.atMs = atMs;
    }

    /** Whether the node was out of service at any time in [fromMs, toMs]. */
    boolean overlaps(String name, long fromMs, long toMs) {
      return node.equals(name) && fromMs <= (backMs < 0 ? Long.MAX_VALUE : backMs) && toMs >= atMs;
    }

    JsonObject toJson() {
      return new JsonObject().put("n", number).put("kind", kind).put("node", node).put("at_ms", atMs)
        .put("back_after_ms", backMs < 0 ? null : backMs - atMs).put("restored_after_ms", restoredAfterMs < 0 ? null : restoredAfterMs)
        .put("settled_after_back_ms", settledAfterBackMs < 0 ? null : settledAfterBackMs).put("most_listed", mostListed);
    }
  }

  /** Requests of one kind: outcomes by name, the slowest, those answered past their deadline and margin. */
  private static final class Kind {
    long sent;
    long ok;
    final Map<String, Long> failed = new TreeMap<>();
    long pastDeadline;
    long pastDeadlineEntryFaulted;
    long maxOvershootMs = Long.MIN_VALUE;
    long maxMs;
    final List<String> examples = new ArrayList<>();
    final Samples latencies = new Samples();
  }

  private final int desired;
  private final long marginMs;
  private final List<Fault> faults = new ArrayList<>();
  private final Map<String, Kind> kinds = new TreeMap<>();
  private final Map<String, Long> jobsByOutcome = new TreeMap<>();
  private final Map<String, Long> jobErrors = new TreeMap<>();
  private final Map<String, Long> itemErrors = new TreeMap<>();
  private final List<String> jobNotes = new ArrayList<>();
  private long itemsSent;
  private long itemsBack;
  private long itemsLost;
  private long itemsDuplicated;
  private long itemsWrongId;
  private long itemsUnreadable;
  private long itemsFailed;
  private Integer finalListed;
  private String finalNote;

  ChaosLedger(int desired, long marginMs) {
    this.desired = desired;
    this.marginMs = marginMs;
  }

  int desired() {
    return desired;
  }

  synchronized Fault fault(String kind, String node, long atMs) {
    Fault f = new Fault(faults.size() + 1, kind, node, atMs);
    faults.add(f);
    return f;
  }

  synchronized void back(Fault f, long atMs) {
    f.backMs = atMs;
  }

  synchronized List<Fault> faults() {
    return new ArrayList<>(faults);
  }

  /**
   * One round of listings at {@code atMs}: {@code mostListed} actors in the fullest view, and whether the round was
   * {@code whole}: every serving node listed exactly the desired count, the same actors, all on serving nodes.
   * A whole round closes the restore of every fault before it, and the settling of every fault whose node is back.
   */
  synchronized void listing(long atMs, int mostListed, boolean whole) {
    for (Fault f : faults) {
      if (f.atMs > atMs || f.settledAfterBackMs >= 0) {
        continue;
      }
      f.mostListed = Math.max(f.mostListed, mostListed);
      if (whole && f.restoredAfterMs < 0) {
        f.restoredAfterMs = atMs - f.atMs;
      }
      if (whole && f.backMs >= 0 && f.backMs <= atMs) {
        f.settledAfterBackMs = atMs - f.backMs;
      }
    }
  }

  /**
   * One request of {@code kind} through node {@code entry}'s gateway, sent at {@code sentMs} with a deadline of
   * {@code deadlineMs} (0: the client set none, as for a listing: only its latency is kept), that ended as
   * {@code outcome} ({@code "200"} is success) after {@code elapsedMs}.
   */
  synchronized void request(String kind, String entry, long sentMs, long deadlineMs, String outcome, long elapsedMs) {
    Kind k = kinds.computeIfAbsent(kind, x -> new Kind());
    k.sent++;
    if (outcome.startsWith("2")) {
      k.ok++;
      k.latencies.add(elapsedMs * 1_000_000);
    } else {
      k.failed.merge(outcome, 1L, Long::sum);
    }
    k.maxMs = Math.max(k.maxMs, elapsedMs);
    if (deadlineMs <= 0) {
      return;
    }
    long overshoot = elapsedMs - deadlineMs;
    if (overshoot > marginMs) {
      if (entryFaulted(entry, sentMs, sentMs + elapsedMs)) {
        k.pastDeadlineEntryFaulted++;
      } else {
        k.pastDeadline++;
        k.maxOvershootMs = Math.max(k.maxOvershootMs, overshoot);
        if (k.examples.size() < 5) {
          k.examples.add("sent at " + sentMs + " ms via " + entry + ": " + outcome + " after " + elapsedMs + " ms (deadline "
            + deadlineMs + " ms)");
        }
      }
    } else if (!entryFaulted(entry, sentMs, sentMs + elapsedMs)) {
      k.maxOvershootMs = Math.max(k.maxOvershootMs, overshoot);
    }
  }

  /** Whether node {@code name} was killed or frozen at some time in [fromMs, toMs]. */
  synchronized boolean entryFaulted(String name, long fromMs, long toMs) {
    for (Fault f : faults) {
      if (f.overlaps(name, fromMs, toMs)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A job read to its end (or given up on) through node {@code entry}, between {@code fromMs} and {@code toMs}. A
   * job whose stream broke or stalled while its node was out of service went with its node: interrupted, not stalled.
   */
  synchronized JobCount.Outcome job(JobCount count, JobCount.Outcome outcome, String entry, long fromMs, long toMs) {
    if ((outcome == JobCount.Outcome.INTERRUPTED || outcome == JobCount.Outcome.STALLED) && entryFaulted(entry, fromMs, toMs)) {
      outcome = JobCount.Outcome.INTERRUPTED;
    } else if (outcome == JobCount.Outcome.INTERRUPTED) {
      outcome = JobCount.Outcome.BROKEN;
    }
    jobsByOutcome.merge(outcome.name().toLowerCase(), 1L, Long::sum);
    itemsSent += count.total();
    itemsBack += count.distinct();
    itemsDuplicated += count.duplicated();
    itemsWrongId += count.wrongId();
    itemsUnreadable += count.unreadable();
    itemsFailed += count.failedItems();
    count.itemErrors().forEach((code, n) -> itemErrors.merge(code, n, Long::sum));
    if (count.jobError() != null) {
      jobErrors.merge(count.jobError().length() > 120 ? count.jobError().substring(0, 120) : count.jobError(), 1L, Long::sum);
    }
    if (outcome == JobCount.Outcome.SUCCEEDED) {
      itemsLost += count.missing();
    }
    if (outcome != JobCount.Outcome.SUCCEEDED && jobNotes.size() < 20) {
      jobNotes.add(outcome.name().toLowerCase() + " via " + entry + " at " + fromMs + "-" + toMs + " ms: " + count.distinct()
        + " of " + count.total() + " back" + (count.jobError() == null ? "" : ", " + count.jobError()));
    }
    return outcome;
  }

  /** What the listing showed once the faults stopped and the cluster had time to settle. */
  synchronized void finalListing(int listed, String note) {
    finalListed = listed;
    finalNote = note;
  }

  /** Each broken invariant, one line each; empty when the run kept them all. */
  synchronized List<String> violations() {
    List<String> out = new ArrayList<>();
    if (itemsLost > 0) {
      out.add(itemsLost + " job items lost (missing from jobs that succeeded)");
    }
    if (itemsDuplicated > 0) {
      out.add(itemsDuplicated + " job items duplicated");
    }
    if (itemsWrongId > 0 || itemsUnreadable > 0) {
      out.add(itemsWrongId + " job results with another item's id, " + itemsUnreadable + " unreadable result lines");
    }
    long stalled = jobsByOutcome.getOrDefault("stalled", 0L);
    if (stalled > 0) {
      out.add(stalled + " jobs hung (no progress while the node holding them served)");
    }
    long broken = jobsByOutcome.getOrDefault("broken", 0L);
    if (broken > 0) {
      out.add(broken + " jobs cut off without an error while the node holding them served");
    }
    kinds.forEach((name, k) -> {
      if (k.pastDeadline > 0) {
        out.add(k.pastDeadline + " " + name + " requests answered more than " + marginMs + " ms past their deadline: " + k.examples);
      }
    });
    for (Fault f : faults) {
      if (f.restoredAfterMs < 0) {
        out.add("fault " + f.number + " (" + f.kind + " " + f.node + "): the desired count of " + desired + " was never restored");
      }
    }
    if (finalListed == null) {
      out.add("no final listing");
    } else if (finalListed != desired) {
      out.add("at the end " + finalListed + " actors were listed, not the desired " + desired + ": " + finalNote);
    }
    return out;
  }

  synchronized JsonObject summary() {
    JsonObject requests = new JsonObject();
    kinds.forEach((name, k) -> requests.put(name, new JsonObject().put("sent", k.sent).put("ok", k.ok)
      .put("failed", new JsonObject(new TreeMap<>(k.failed))).put("past_deadline", k.pastDeadline)
      .put("past_deadline_entry_node_faulted", k.pastDeadlineEntryFaulted)
      .put("max_overshoot_ms", k.maxOvershootMs == Long.MIN_VALUE ? null : k.maxOvershootMs)
      .put("p50_ms", Samples.millis(k.latencies.percentile(0.5))).put("p99_ms", Samples.millis(k.latencies.percentile(0.99)))
      .put("max_ms", k.maxMs)));
    JsonArray faultList = new JsonArray();
    long worstRestore = -1;
    long worstSettle = -1;
    int mostListed = 0;
    for (Fault f : faults) {
      faultList.add(f.toJson());
      worstRestore = Math.max(worstRestore, f.restoredAfterMs);
      worstSettle = Math.max(worstSettle, f.settledAfterBackMs);
      mostListed = Math.max(mostListed, f.mostListed);
    }
    List<String> broken = violations();
    return new JsonObject()
      .put("ok", broken.isEmpty()).put("violations", new JsonArray(broken))
      .put("desired", desired).put("margin_ms", marginMs)
      .put("items_sent", itemsSent).put("items_back", itemsBack).put("items_lost", itemsLost)
      .put("items_duplicated", itemsDuplicated).put("items_wrong_id", itemsWrongId).put("items_failed", itemsFailed)
      .put("item_errors", new JsonObject(new TreeMap<>(itemErrors)))
      .put("jobs", new JsonObject(new TreeMap<>(jobsByOutcome))).put("job_errors", new JsonObject(new TreeMap<>(jobErrors)))
      .put("job_notes", new JsonArray(new ArrayList<>(jobNotes)))
      .put("requests", requests)
      .put("faults", faultList.size()).put("worst_restore_ms", worstRestore < 0 ? null : worstRestore)
      .put("worst_settle_after_back_ms", worstSettle < 0 ? null : worstSettle).put("most_listed", mostListed)
      .put("final_listed", finalListed).put("fault_log", faultList);
  }

  /** The summary as a table a person reads: invariants first, then requests, jobs and each fault. */
  synchronized String table() {
    JsonObject s = summary();
    StringBuilder b = new StringBuilder();
    b.append(String.format("%-46s %10s %8s%n", "invariant", "measured", "must be"));
    row(b, "job items lost", itemsLost, "0");
    row(b, "job items duplicated", itemsDuplicated, "0");
    row(b, "job results with a wrong id or unreadable", itemsWrongId + itemsUnreadable, "0");
    row(b, "jobs that hung", jobsByOutcome.getOrDefault("stalled", 0L), "0");
    row(b, "jobs cut off without an error", jobsByOutcome.getOrDefault("broken", 0L), "0");
    long past = kinds.values().stream().mapToLong(k -> k.pastDeadline).sum();
    row(b, "requests past deadline + " + marginMs + " ms", past, "0");
    row(b, "faults whose desired count never came back", faults.stream().filter(f -> f.restoredAfterMs < 0).count(), "0");
    b.append(String.format("%-46s %10s %8s%n", "actors listed at the end", finalListed == null ? "-" : finalListed.toString(),
      Integer.toString(desired)));
    b.append(String.format("%nrequests: %-12s %8s %8s %8s %8s %8s %9s  failed by outcome%n", "kind", "sent", "ok", "p50 ms",
      "p99 ms", "max ms", "late*"));
    kinds.forEach((name, k) -> b.append(String.format("          %-12s %8d %8d %8.1f %8.1f %8d %9d  %s%n", name, k.sent, k.ok,
      Samples.millis(k.latencies.percentile(0.5)), Samples.millis(k.latencies.percentile(0.99)), k.maxMs,
      k.pastDeadlineEntryFaulted, k.failed)));
    b.append("          * late only because the node the client spoke to was killed or frozen meanwhile (not counted)\n");
    b.append(String.format("%njobs: %s; items sent %d, back %d, failed items %d %s; job errors %s%n", jobsByOutcome, itemsSent,
      itemsBack, itemsFailed, itemErrors, jobErrors));
    b.append(String.format("%nfaults: %3s %8s %-10s %-4s %9s %11s %13s %6s%n", "#", "at s", "kind", "node", "back ms",
      "restored ms", "settled ms*", "most"));
    for (Fault f : faults) {
      b.append(String.format("        %3d %8.1f %-10s %-4s %9s %11s %13s %6d%n", f.number, f.atMs / 1000.0, f.kind, f.node,
        f.backMs < 0 ? "-" : Long.toString(f.backMs - f.atMs), f.restoredAfterMs < 0 ? "never" : Long.toString(f.restoredAfterMs),
        f.settledAfterBackMs < 0 ? "-" : Long.toString(f.settledAfterBackMs), f.mostListed));
    }
    b.append("        * after the node served again: exactly the desired count listed (extras from a merge stopped)\n");
    b.append(s.getBoolean("ok") ? "\nall invariants held\n" : "\nBROKEN:\n  " + String.join("\n  ", violations()) + "\n");
    return b.toString();
  }

  private static void row(StringBuilder b, String what, long value, String mustBe) {
    b.append(String.format("%-46s %10d %8s%n", what, value, mustBe));
  }
}
