package dev.beach.launcher.cli;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static dev.beach.launcher.cli.GatewayClient.seg;

/**
 * Desired-state deployments through the gateway's {@code /v1/deployments}: {@code apply -f FILE}, {@code deployments},
 * {@code scale NAME N} ({@code POST .../scale}), {@code rollout restart NAME}, and {@code drain NODE} ({@code POST /v1/nodes/{id}/drain}).
 */
final class DeploymentCommands {

  private DeploymentCommands() {
  }

  /** The deployments of a YAML (or JSON) file: a list of them, or a map with a {@code deployments} list. */
  static JsonArray read(Path file) {
    Object root;
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw new CliException(file + " is not valid YAML: " + e.getMessage().replace('\n', ' '));
    }
    if (root instanceof Map<?, ?> map && map.get("deployments") != null) {
      root = map.get("deployments");
    }
    if (!(root instanceof java.util.List<?>)) {
      throw new CliException(file + " must hold a list of deployments, or a map {deployments: [...]}");
    }
    JsonArray list = new JsonArray(Json.encode(root));
    for (int i = 0; i < list.size(); i++) {
      Object d = list.getValue(i);
      if (!(d instanceof JsonObject o) || !(o.getValue("name") instanceof String)) {
        throw new CliException(file + ": deployment #" + (i + 1) + " must be a map with a name");
      }
    }
    return list;
  }

  @Command(name = "apply", description = "Create or update the deployments of a YAML file; prints what changed.")
  static final class Apply extends ClientCommand {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "YAML: a list of deployments or {deployments: [...]}.")
    Path file;

    @Override
    void run() {
      JsonArray results = new JsonArray();
      for (Object o : read(file)) {
        JsonObject d = (JsonObject) o;
        String name = d.getString("name");
        JsonObject before = null;
        try {
          before = client().get("/v1/deployments/" + seg(name)).object();
        } catch (CliException e) {
          if (e.status() != 404) {
            throw e;
          }
        }
        GatewayClient.Reply reply = client().send("PUT", "/v1/deployments/" + seg(name),
          d.encode().getBytes(StandardCharsets.UTF_8), "application/json");
        JsonObject after = reply.object();
        String what = before == null ? "created"
          : before.getJsonObject("deployment", new JsonObject()).equals(after.getJsonObject("deployment")) ? "unchanged"
          : "configured";
        results.add(new JsonObject().put("name", name).put("result", what).put("status", after));
        if (!json()) {
          out().println("deployment " + name + " " + what);
        }
      }
      if (json()) {
        printJson(results);
      }
    }
  }

  @Command(name = "deployments", description = "Deployments: desired against actual, state, restarts (all, or NAME).")
  static final class Deployments extends ClientCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Only this deployment.")
    String name;

    @Override
    void run() {
      JsonArray all = name == null ? client().get("/v1/deployments").array()
        : new JsonArray().add(client().get("/v1/deployments/" + seg(name)).object());
      if (json()) {
        printJson(all);
        return;
      }
      Format.Table t = new Format.Table("NAME", "REALM", "DESIRED", "ACTUAL", "STATE", "RESTARTS", "NODES", "ERROR");
      for (Object o : all) {
        JsonObject s = (JsonObject) o;
        Map<String, Object> nodes = new TreeMap<>(s.getJsonObject("perNode", new JsonObject()).getMap());
        StringBuilder per = new StringBuilder();
        nodes.forEach((k, v) -> per.append(per.length() == 0 ? "" : ",").append(k, 0, Math.min(8, k.length())).append('=').append(v));
        JsonObject err = s.getJsonObject("lastError");
        t.row(s.getString("name"), s.getJsonObject("deployment", new JsonObject()).getString("realm"),
          s.getInteger("desired"), s.getInteger("actual"), s.getString("state"), s.getInteger("restarts"),
          per.length() == 0 ? "-" : per, err == null ? "" : err.getString("message", err.encode()));
      }
      out().print(t);
      if (t.size() == 0) {
        out().println("(no deployments)");
      }
    }
  }

  @Command(name = "scale", description = "Set a deployment's count (instances, or perNode for a per-node one).")
  static final class Scale extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "N")
    int count;

    @Override
    void run() {
      // Not a re-PUT of what GET shows: that leaves out private params, which the stored deployment keeps.
      JsonObject after = client().post("/v1/deployments/" + seg(name) + "/scale",
        new JsonObject().put("count", count).encode()).object();
      if (json()) {
        printJson(after);
      } else {
        out().println("deployment " + name + " scaled to " + after.getInteger("desired"));
      }
    }
  }

  @Command(name = "rollout", description = "Roll a deployment: 'rollout restart NAME' replaces its actors (only its) onto the current code.")
  static final class Rollout extends ClientCommand {
    @Parameters(index = "0", paramLabel = "restart", description = "The rollout action (restart).")
    String action;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Override
    void run() {
      if (!"restart".equals(action)) {
        throw new CliException("unknown rollout action '" + action + "': try 'rollout restart NAME'");
      }
      JsonObject r = client().post("/v1/deployments/" + seg(name) + "/restart", null).object();
      if (json()) {
        printJson(r);
      } else {
        // The leader rolls it from here: a replacement runs before each old actor stops.
        out().println("deployment " + name + " restarting (restart revision " + r.getLong("restartRevision", 0L) + "): its "
          + r.getInteger("desired", 0) + " actors are replaced onto the realm's current code, each new one running"
          + " before its old one stops; 'beach deployments " + name + "' shows when it is available");
      }
    }
  }

  @Command(name = "drain", description = "Drain a node: no new actors, its actors move elsewhere (admin token).")
  static final class Drain extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NODE")
    String node;

    @Override
    void run() {
      JsonObject r = client().post("/v1/nodes/" + seg(node) + "/drain", null).object();
      if (json()) {
        printJson(r);
      } else {
        out().println("node " + node + " drained");
      }
    }
  }
}
