package dev.beach.launcher.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import static dev.beach.launcher.cli.GatewayClient.seg;

/** Read-only client commands: status, nodes, realms, actors. */
final class ClusterCommands {

  private ClusterCommands() {
  }

  @Command(name = "status", description = "Cluster summary: nodes, realms, actors.")
  static final class Status extends ClientCommand {
    @Override
    void run() {
      JsonObject health = client().get("/v1/health").object();
      JsonArray nodes = client().get("/v1/nodes").array();
      JsonArray realms = client().get("/v1/realms").array();
      if (json()) {
        printJson(new JsonObject().put("health", health).put("nodes", nodes).put("realms", realms));
        return;
      }
      int actors = 0;
      for (Object r : realms) {
        actors += ((JsonObject) r).getInteger("actors", 0);
      }
      out().println("gateway  " + client().url() + " on node " + health.getString("node") + " (" + health.getString("status") + ")");
      out().println("cluster  " + nodes.size() + " node" + (nodes.size() == 1 ? "" : "s") + ", " + actors + " actor"
        + (actors == 1 ? "" : "s") + " in " + realms.size() + " realm" + (realms.size() == 1 ? "" : "s"));
      out().println();
      out().print(Nodes.table(nodes));
    }
  }

  @Command(name = "nodes", description = "The cluster's nodes with their load.")
  static final class Nodes extends ClientCommand {
    @Override
    void run() {
      JsonArray nodes = client().get("/v1/nodes").array();
      if (json()) {
        printJson(nodes);
      } else {
        out().print(table(nodes));
      }
    }

    static Format.Table table(JsonArray nodes) {
      Format.Table t = new Format.Table("NODE", "HOST", "TAGS", "UPTIME", "CPU", "HEAP", "ACTORS", "READY");
      for (Object o : nodes) {
        JsonObject n = (JsonObject) o;
        t.row(n.getString("id"), n.getString("host"), Format.join(n.getJsonArray("tags")),
          Format.duration(n.getLong("uptimeMs", 0L)), Format.percent(n.getDouble("cpu", 0d)),
          Format.bytes(n.getLong("heapUsed", 0L)) + "/" + Format.bytes(n.getLong("heapMax", 0L)),
          n.getInteger("actors", 0), n.getBoolean("ready", true) ? "yes" : "draining");
      }
      return t;
    }
  }

  @Command(name = "realms", description = "Realms with their actor and category counts.")
  static final class Realms extends ClientCommand {
    @Override
    void run() {
      JsonArray realms = client().get("/v1/realms").array();
      if (json()) {
        printJson(realms);
        return;
      }
      Format.Table t = new Format.Table("REALM", "ACTORS", "CATEGORIES");
      for (Object o : realms) {
        JsonObject r = (JsonObject) o;
        t.row(r.getString("name"), r.getInteger("actors"), r.getInteger("categories"));
      }
      out().print(t);
    }
  }

  @Command(name = "actors", description = "Actors with their statistics (every realm unless --realm is given).")
  static final class Actors extends ClientCommand {
    @Option(names = {"-r", "--realm"}, description = "Only this realm.")
    String realm;

    @Option(names = {"-c", "--category"}, description = "Only actors this category reaches (with sub-categories).")
    String category;

    /** Nodes that did not answer a listing in time (the gateway's X-Missing-Nodes): their actors are not shown. */
    private final java.util.Set<String> missing = new java.util.TreeSet<>();

    @Override
    void run() {
      JsonArray all = new JsonArray();
      String only = realm != null ? realm : shell != null ? shell.realm() : null;
      if (only != null) {
        all.addAll(list(only));
      } else {
        for (Object r : client().get("/v1/realms").array()) {
          all.addAll(list(((JsonObject) r).getString("name")));
        }
      }
      if (!missing.isEmpty()) {
        // On stderr, so --json output stays parseable.
        err().println("beach: warning: node" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
          + " did not answer in time: " + (missing.size() == 1 ? "its" : "their") + " actors are missing from this list");
        err().flush();
      }
      if (json()) {
        printJson(all);
        return;
      }
      Format.Table t = new Format.Table("ACTOR", "REALM", "CATEGORIES", "CLASS", "NODE", "PROCESSED", "ERRORS", "PENDING",
        "RATE/S", "MEAN MS");
      for (Object o : all) {
        JsonObject a = (JsonObject) o;
        JsonObject s = a.getJsonObject("stats", new JsonObject());
        t.row(a.getString("id"), a.getString("realm"), Format.join(a.getJsonArray("categories")), a.getString("class"),
          a.getString("node"), s.getLong("processed", 0L), s.getLong("errors", 0L), s.getInteger("pending", 0),
          Format.number(s.getDouble("rate", 0d)), Format.number(s.getDouble("meanLatencyMs", 0d)));
      }
      out().print(t);
      out().println(t.size() + " actor" + (t.size() == 1 ? "" : "s"));
    }

    private JsonArray list(String realm) {
      String query = category == null ? "" : "?category=" + seg(category);
      GatewayClient.Reply reply = client().get("/v1/realms/" + seg(realm) + "/actors" + query);
      String nodes = reply.header("X-Missing-Nodes");
      if (nodes != null) {
        for (String n : nodes.split(",")) {
          if (!n.isBlank()) {
            missing.add(n.trim());
          }
        }
      }
      return reply.array();
    }
  }
}
