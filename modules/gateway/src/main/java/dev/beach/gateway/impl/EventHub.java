package dev.beach.gateway.impl;

import dev.beach.Address;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/events}: cluster events as Server-Sent Events. One event-bus consumer per gateway fans out
 * to every connected client (a consumer per client would be a cluster-wide registration each). Each event is
 * one {@code data:} line of JSON {@code {type, time, node, ...}} with an {@code id:}; comment lines keep idle
 * streams open. A client that cannot keep up loses events and is told so by a {@code stream.dropped} event,
 * so it knows to reload its view.
 */
final class EventHub {

  static final int MAX_CLIENTS = 1024;
  static final String STATS_TYPE = "node.stats";
  static final String NODE_JOINED = "node.joined";
  static final String NODE_LEFT = "node.left";
  /** Batches of actors: a realm sees its own actors of a batch. */
  private static final Set<String> ACTOR_BATCH_TYPES = Set.of("actor.started", "actor.stopped");
  /** Events of one realm, shown to that realm's token: the batches, failures and job progress. */
  private static final Set<String> REALM_TYPES = Set.of("actor.started", "actor.stopped", "actor.failed", "job.progress");
  /** What a node event may say about a node: NodeInfo's fields. */
  private static final List<String> NODE_FIELDS = List.of("id", "host", "tags", "startedAt", "uptimeMs", "cpu",
    "heapUsed", "heapMax", "actors", "ready");
  private static final Pattern TYPE = Pattern.compile("[a-z0-9_.-]{1,64}");
  private static final int MAX_TYPES = 16;

  private final Vertx vertx;
  private final long heartbeatMs;
  private final int streamsPerToken;
  /** Open streams by caller ({@link Principal#ident()}): one token may not hold every stream of the gateway. */
  private final Map<String, Integer> perCaller = new HashMap<>();
  private final Set<Client> clients = new LinkedHashSet<>();
  private MessageConsumer<JsonObject> events;
  private MessageConsumer<JsonObject> stats;
  private long heartbeat = -1;
  private long nextId;

  private static final class Client {
    final HttpServerResponse response;
    final String realm;
    final List<String> types;
    final boolean wantsStats;
    final String caller;
    long dropped;

    Client(HttpServerResponse response, String caller, String realm, List<String> types) {
      this.response = response;
      this.caller = caller;
      this.realm = realm;
      this.types = types;
      this.wantsStats = types.contains(STATS_TYPE);
    }
  }

  EventHub(Vertx vertx, long heartbeatMs, int streamsPerToken) {
    this.vertx = vertx;
    this.heartbeatMs = heartbeatMs;
    this.streamsPerToken = streamsPerToken;
  }

  /** Must run on the gateway's context: clients, consumers and the timer all live there. */
  Future<Void> start() {
    events = vertx.eventBus().consumer(Address.EVENTS, m -> onEvent(m.body()));
    stats = vertx.eventBus().consumer(Address.STATS, m -> onStats(m.body()));
    heartbeat = vertx.setPeriodic(heartbeatMs, t -> beat());
    return Future.all(events.completion(), stats.completion()).mapEmpty();
  }

  Future<Void> stop() {
    vertx.cancelTimer(heartbeat);
    for (Client c : new ArrayList<>(clients)) {
      if (!c.response.ended() && !c.response.closed()) {
        c.response.end();
      }
    }
    clients.clear();
    perCaller.clear();
    return Future.join(events.unregister(), stats.unregister()).mapEmpty();
  }

  int clients() {
    return clients.size();
  }

  void register(ApiRouter api) {
    api.get("/v1/events", Access.ANY, this::subscribe);
  }

  private void subscribe(RoutingContext ctx) {
    Principal p = Auth.principal(ctx);
    String realm = Params.query(ctx, "realm");
    if (realm != null && !realm.isEmpty()) {
      Address.validateRealm(realm);
    } else {
      realm = null;
    }
    if (!p.admin()) {
      if (realm != null && !p.mayUse(realm)) {
        throw Auth.forbidden(p, realm);
      }
      realm = p.realm(); // a realm token only ever sees its own realm
    }
    List<String> types = types(Params.query(ctx, "type"));
    if (clients.size() >= MAX_CLIENTS) {
      throw new BeachException(ErrorCode.OVERLOADED, "this gateway already serves " + MAX_CLIENTS + " event streams");
    }
    if (perCaller.getOrDefault(p.ident(), 0) >= streamsPerToken) {
      throw new BeachException(ErrorCode.OVERLOADED, "this token already has " + streamsPerToken + " event streams open"
        + " on this gateway (gateway.quotas.streamsPerToken): close one first");
    }
    HttpServerResponse response = ctx.response();
    response.setChunked(true)
      .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
      .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
      .putHeader("X-Accel-Buffering", "no");
    Client client = new Client(response, p.ident(), realm, types);
    clients.add(client);
    perCaller.merge(client.caller, 1, Integer::sum);
    response.closeHandler(v -> forget(client));
    response.exceptionHandler(t -> forget(client));
    // The first bytes send the headers at once, so clients see the stream open before any event.
    response.write("retry: 3000\n: beach events" + (realm == null ? "" : " of realm " + realm) + "\n\n");
  }

  private void forget(Client c) {
    if (clients.remove(c)) {
      perCaller.computeIfPresent(c.caller, (k, n) -> n > 1 ? n - 1 : null);
    }
  }

  private static List<String> types(String text) {
    List<String> types = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return types;
    }
    for (String t : text.split(",")) {
      String type = t.trim();
      if (!TYPE.matcher(type).matches()) {
        throw HttpErrors.bad("query parameter 'type' must be a comma-separated list of event types such as "
          + "actor.started,node (a type or a dotted prefix, [a-z0-9_.-]{1,64})");
      }
      types.add(type);
    }
    if (types.size() > MAX_TYPES) {
      throw HttpErrors.bad("query parameter 'type' names more than " + MAX_TYPES + " types");
    }
    return types;
  }

  private void onEvent(JsonObject raw) {
    String type = raw.getString("type");
    if (type == null || clients.isEmpty()) {
      return;
    }
    JsonObject event = NODE_JOINED.equals(type) && raw.getValue("info") instanceof JsonObject
      ? raw.copy().put("info", nodeInfo(raw.getJsonObject("info"))) : raw;
    for (Client c : new ArrayList<>(clients)) {
      if (!typeMatches(c, type)) {
        continue;
      }
      JsonObject visible = c.realm == null ? event : inRealm(event, c.realm);
      if (visible != null) {
        send(c, visible);
      }
    }
  }

  private void onStats(JsonObject sample) {
    JsonObject event = null;
    for (Client c : new ArrayList<>(clients)) {
      if (c.wantsStats) {
        if (event == null) {
          event = new JsonObject().put("type", STATS_TYPE).put("time", System.currentTimeMillis())
            .put("node", sample.getString("id")).put("stats", nodeInfo(sample));
        }
        send(c, event);
      }
    }
  }

  /**
   * The fields of a node's statistics that are {@code NodeInfo}'s (what {@code GET /v1/nodes} shows). A sample
   * also carries what only peers need, such as the node's link listeners (hosts and ports): those never leave
   * the cluster.
   */
  static JsonObject nodeInfo(JsonObject sample) {
    JsonObject out = new JsonObject();
    for (String field : NODE_FIELDS) {
      if (sample.containsKey(field)) {
        out.put(field, sample.getValue(field));
      }
    }
    return out;
  }

  /** Node statistics are frequent: only clients that name them get them. */
  private static boolean typeMatches(Client c, String type) {
    if (c.types.isEmpty()) {
      return !STATS_TYPE.equals(type);
    }
    for (String t : c.types) {
      if (type.equals(t)) {
        return true;
      }
      boolean prefix = type.length() > t.length() && type.startsWith(t) && type.charAt(t.length()) == '.';
      if (prefix && !STATS_TYPE.equals(type)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The part of an event a realm token may see, by an allowlist of types: batches of started/stopped actors keep
   * that realm's actors; failures and job progress only of that realm; node events (already reduced to what
   * {@code GET /v1/nodes} shows) pass. Every other type, and anything without a realm where one is expected,
   * is dropped: a new kind of event stays hidden from realm tokens until it is listed here.
   */
  static JsonObject inRealm(JsonObject event, String realm) {
    String type = event.getString("type");
    if (NODE_JOINED.equals(type) || NODE_LEFT.equals(type) || STATS_TYPE.equals(type)) {
      return event;
    }
    if (!REALM_TYPES.contains(type)) {
      return null;
    }
    JsonArray actors = event.getValue("actors") instanceof JsonArray ? event.getJsonArray("actors") : null;
    if (ACTOR_BATCH_TYPES.contains(type)) {
      if (actors == null) {
        return null;
      }
      JsonArray mine = new JsonArray();
      for (Object a : actors) {
        if (a instanceof JsonObject && realm.equals(((JsonObject) a).getString("realm"))) {
          mine.add(a);
        }
      }
      if (mine.isEmpty()) {
        return null;
      }
      return mine.size() == actors.size() ? event : event.copy().put("actors", mine);
    }
    Object named = event.getValue("realm");
    return realm.equals(named) ? event : null;
  }

  private void send(Client c, JsonObject event) {
    HttpServerResponse r = c.response;
    if (r.ended() || r.closed()) {
      forget(c);
      return;
    }
    if (r.writeQueueFull()) {
      c.dropped++;
      return;
    }
    StringBuilder out = new StringBuilder();
    if (c.dropped > 0) {
      JsonObject notice = new JsonObject().put("type", "stream.dropped").put("time", System.currentTimeMillis())
        .put("dropped", c.dropped);
      out.append("id: ").append(++nextId).append("\ndata: ").append(notice.encode()).append("\n\n");
      c.dropped = 0;
    }
    out.append("id: ").append(++nextId).append("\ndata: ").append(event.encode()).append("\n\n");
    r.write(out.toString());
  }

  private void beat() {
    for (Client c : new ArrayList<>(clients)) {
      if (c.response.ended() || c.response.closed()) {
        forget(c);
      } else if (!c.response.writeQueueFull()) {
        c.response.write(": ping\n\n");
      }
    }
  }
}
