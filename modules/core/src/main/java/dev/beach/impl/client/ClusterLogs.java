package dev.beach.impl.client;

import dev.beach.ActorInfo;
import dev.beach.Address;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.LogLine;
import dev.beach.LogPage;
import dev.beach.LogQuery;
import dev.beach.impl.control.ControlPlane;
import dev.beach.impl.directory.Directory;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link dev.beach.Beach#logs}: asks the node of a running actor, or every live node (a category, or an actor that
 * stopped and is only remembered where it ran), and merges what they hold. A node that does not answer keeps its
 * place in the cursor, so a follower reading on misses nothing it still holds.
 */
final class ClusterLogs {

  private static final Comparator<LogLine> ORDER = Comparator.comparingLong(LogLine::time)
    .thenComparing(l -> String.valueOf(l.node())).thenComparingLong(LogLine::seq);

  private ClusterLogs() {
  }

  static Future<LogPage> read(String realm, LogQuery query, Directory directory, Collection<String> liveNodes,
                              ControlPlane control) {
    LogQuery q;
    try {
      Address.validateRealm(realm);
      q = new LogQuery(query).validate();
    } catch (BeachException e) {
      return Future.failedFuture(e);
    }
    List<String> nodes = new ArrayList<>(liveNodes);
    if (q.getActor() != null) {
      ActorInfo running = directory.get(q.getActor());
      if (running != null && running.realm().equals(realm) && nodes.contains(running.node())) {
        nodes = List.of(running.node());
      }
    }
    JsonObject json = q.toJson();
    List<String> asked = nodes;
    List<Future<JsonObject>> parts = new ArrayList<>();
    for (String n : asked) {
      parts.add(control.of(n).logs(realm, json));
    }
    return Future.join(parts).transform(ar -> {
      List<LogLine> lines = new ArrayList<>();
      Map<String, Long> cursor = new LinkedHashMap<>();
      if (q.getCursor() != null) {
        cursor.putAll(q.getCursor());
      }
      boolean known = false;
      long dropped = 0;
      Throwable failure = null;
      int answered = 0;
      for (int i = 0; i < parts.size(); i++) {
        Future<JsonObject> p = parts.get(i);
        if (p.failed()) {
          failure = failure == null ? p.cause() : failure;
          continue;
        }
        answered++;
        JsonObject part = p.result();
        known |= part.getBoolean("known", false);
        dropped += part.getLong("dropped", 0L);
        cursor.put(asked.get(i), part.getLong("cursor", 0L));
        part.getJsonArray("lines").forEach(l -> lines.add(LogLine.fromJson((JsonObject) l)));
      }
      if (answered == 0 && failure != null) {
        return Future.failedFuture(BeachException.from(failure));
      }
      if (q.getActor() != null && !known) {
        return Future.failedFuture(new BeachException(ErrorCode.NOT_FOUND, "no actor " + q.getActor() + " in realm '"
          + realm + "' (neither running nor among the recently stopped)", realm, null, q.getActor(), null, null, null));
      }
      lines.sort(ORDER);
      List<LogLine> kept = lines;
      if (q.getCursor() == null && lines.size() > q.getLimit()) {
        kept = lines.subList(lines.size() - q.getLimit(), lines.size());
      }
      return Future.succeededFuture(new LogPage(kept, cursor, dropped));
    });
  }
}
