package dev.beach.impl.deploy;

import dev.beach.DeploymentStatus;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * What the leader remembers between two passes of {@link ReconcilerDecisions}: the actors it saw last time (so it
 * notices one vanish), why actors stopped (their nodes report it), the stops it asked for itself, since when each
 * duplicate has been seen, each deployment's {@link RestartBook} and last state. A new leader starts with the books
 * it finds saved and nothing else: it cannot tell that an actor vanished before it took over, so it simply places
 * what is missing, at once.
 */
final class ReconcilerMemory {

  /** Why an actor stopped, as its node reported it. */
  record Exit(Loss loss, JsonObject error, long at) {
  }

  private static final long FORGET_EXITS_MS = 60_000;

  final Map<String, ReconcilerDecisions.Running> known = new HashMap<>();
  final Map<String, Exit> exits = new HashMap<>();
  final Set<String> ownStops = new HashSet<>();
  final Map<String, Long> duplicateSince = new HashMap<>();
  /** Actors of a deployment the leader does not know, since when. */
  final Map<String, Long> orphanSince = new HashMap<>();
  final Map<String, RestartBook> books = new HashMap<>();
  final Map<String, DeploymentStatus.State> states = new HashMap<>();

  /** A node reported that {@code actorId} stopped, and why. */
  void exited(String actorId, Loss loss, JsonObject error, long now) {
    exits.put(actorId, new Exit(loss, error, now));
    if (exits.size() > 1000) {
      for (Iterator<Exit> it = exits.values().iterator(); it.hasNext(); ) {
        if (it.next().at() < now - FORGET_EXITS_MS) {
          it.remove();
        }
      }
    }
  }

  /** The book of {@code deployment} at {@code generation}: a newer generation (applied again) starts afresh. */
  RestartBook book(String deployment, long generation) {
    RestartBook book = books.get(deployment);
    if (book == null || book.generation() != generation) {
      book = new RestartBook(generation);
      books.put(deployment, book);
    }
    return book;
  }

  /** Drops everything about deployments that no longer exist. */
  void forgetAllBut(Set<String> deployments) {
    books.keySet().retainAll(deployments);
    states.keySet().retainAll(deployments);
  }
}
