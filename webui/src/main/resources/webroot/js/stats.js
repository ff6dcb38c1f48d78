// Cluster figures derived from successive reads of the actors' stats (GET /v1/realms/{realm}/actors).
// Each actor reports counters since it started: processed, errors, rejected, and its mean handling time.
// Between two reads the differences give exact per-interval figures for the actors present in both.

/**
 * Remembers the previous read and turns the next one into rates:
 * - messages/s: sum of Δprocessed / Δt;
 * - errors/s: sum of Δ(errors + rejected) / Δt (failed handlers plus requests refused with 429);
 * - p95 latency: the actors' mean handling time within the interval (from Δ(mean × processed) / Δprocessed),
 *   weighted by the requests each handled, and the 95th percentile of that distribution. It is a percentile
 *   of per-actor interval means, not of single requests: the actors do not report a histogram.
 * On the first read (no previous one) messages/s falls back to the sum of the actors' own `rate` figure.
 */
export class RateTracker {
  constructor() {
    this.previous = null;
    this.previousTime = 0;
  }

  sample(actors, timeMs) {
    const current = new Map();
    for (const a of actors) {
      const s = a.stats || {};
      current.set(a.id, {
        processed: s.processed || 0,
        errors: (s.errors || 0) + (s.rejected || 0),
        mean: s.meanLatencyMs || 0,
        rate: s.rate || 0,
        startedAt: a.startedAt || 0,
      });
    }
    const result = { messages: null, errors: null, p95: null, interval: null, perActor: new Map() };
    if (this.previous && timeMs > this.previousTime) {
      const dt = (timeMs - this.previousTime) / 1000;
      let processed = 0;
      let errors = 0;
      const weighted = [];
      for (const [id, now] of current) {
        const before = this.previous.get(id);
        if (!before) {
          // Started during the interval: everything it did happened in the interval. An older actor the
          // previous read missed (a realm that failed to load) would count its whole life: skip it.
          if (now.startedAt < this.previousTime - 5000) {
            continue;
          }
          processed += now.processed;
          errors += now.errors;
          result.perActor.set(id, now.processed / dt);
          if (now.processed > 0) {
            weighted.push([now.mean, now.processed]);
          }
          continue;
        }
        const dp = now.processed - before.processed;
        if (dp < 0) {
          continue; // counters went back: not the same actor life
        }
        processed += dp;
        errors += Math.max(0, now.errors - before.errors);
        result.perActor.set(id, dp / dt);
        if (dp > 0) {
          const meanInInterval = (now.mean * now.processed - before.mean * before.processed) / dp;
          weighted.push([Math.max(0, meanInInterval), dp]);
        }
      }
      result.messages = processed / dt;
      result.errors = errors / dt;
      result.p95 = percentile(weighted, 0.95);
      result.interval = dt;
    } else {
      let rate = 0;
      for (const [id, v] of current) {
        rate += v.rate;
        result.perActor.set(id, v.rate);
      }
      result.messages = rate;
    }
    this.previous = current;
    this.previousTime = timeMs;
    return result;
  }
}

/** The `q` quantile of values given as [value, weight] pairs; null when there is no weight. */
export function percentile(weighted, q) {
  const total = weighted.reduce((sum, [, w]) => sum + w, 0);
  if (total <= 0) {
    return null;
  }
  const sorted = weighted.slice().sort((a, b) => a[0] - b[0]);
  const target = q * total;
  let seen = 0;
  for (const [value, weight] of sorted) {
    seen += weight;
    if (seen >= target) {
      return value;
    }
  }
  return sorted[sorted.length - 1][0];
}

/** Sums of the actors' own counters: processed, errors, rejected, pending, rate, weighted mean latency. */
export function totals(actors) {
  const t = { actors: actors.length, processed: 0, errors: 0, rejected: 0, pending: 0, rate: 0, meanLatencyMs: null };
  let latencyWeight = 0;
  let latencySum = 0;
  for (const a of actors) {
    const s = a.stats || {};
    t.processed += s.processed || 0;
    t.errors += s.errors || 0;
    t.rejected += s.rejected || 0;
    t.pending += s.pending || 0;
    t.rate += s.rate || 0;
    if (s.processed > 0) {
      latencySum += (s.meanLatencyMs || 0) * s.processed;
      latencyWeight += s.processed;
    }
  }
  t.meanLatencyMs = latencyWeight > 0 ? latencySum / latencyWeight : null;
  return t;
}

/** Every recent error of the given actors, newest first: [{time, op, code, message, actor, node}]. */
export function recentErrors(actors, limit = 50) {
  const out = [];
  for (const a of actors) {
    const list = a.stats && Array.isArray(a.stats.recentErrors) ? a.stats.recentErrors : [];
    for (const e of list) {
      if (e && typeof e === 'object') {
        out.push({ ...e, actor: a.id, node: a.node });
      }
    }
  }
  out.sort((x, y) => (y.time || 0) - (x.time || 0));
  return out.slice(0, limit);
}
