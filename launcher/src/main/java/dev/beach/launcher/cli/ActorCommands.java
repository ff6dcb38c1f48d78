package dev.beach.launcher.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.beach.launcher.cli.GatewayClient.seg;

/** Client commands that change what runs: deploy, stop, restart, push. */
final class ActorCommands {

  private ActorCommands() {
  }

  @Command(name = "deploy", description = "Start actors of a class in a realm.")
  static final class Deploy extends ClientCommand {
    @Parameters(index = "0", paramLabel = "CLASS", description = "Actor class, e.g. Echo or com.example.Worker.")
    String className;

    @Option(names = {"-c", "--category"}, required = true, paramLabel = "CATEGORY",
      description = "Category the actors join (repeatable).")
    List<String> categories;

    @Option(names = {"-r", "--realm"}, description = "Realm (default: global, or the shell's realm).")
    String realm;

    @Option(names = {"-n", "--instances"}, description = "How many actors (default 1).")
    Integer instances;

    @Option(names = {"-s", "--strategy"}, description = "Placement: random, roundrobin, least-loaded, affinity(c), "
      + "repulsion(c), node(id|host|tag), spread, local.")
    String strategy;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE",
      description = "A parameter (repeatable); VALUE is JSON when it parses as JSON, else text. Keys starting with _ stay private.")
    List<String> params = new ArrayList<>();

    @Option(names = "--params", paramLabel = "JSON", description = "All parameters as one JSON object.")
    String paramsJson;

    @Option(names = "--concurrency", description = "Requests an actor handles at once (default 1).")
    Integer concurrency;

    @Override
    void run() {
      JsonObject body = new JsonObject().put("class", className).put("categories", new JsonArray(new ArrayList<>(categories)));
      if (instances != null) {
        body.put("instances", instances);
      }
      if (strategy != null) {
        body.put("strategy", strategy);
      }
      if (concurrency != null) {
        body.put("concurrency", concurrency);
      }
      body.put("params", params());
      JsonArray ids = client().post("/v1/realms/" + seg(realm(realm)) + "/actors", body.encode()).object().getJsonArray("ids");
      if (json()) {
        printJson(new JsonObject().put("ids", ids));
      } else {
        out().println("deployed " + ids.size() + " actor" + (ids.size() == 1 ? "" : "s") + " in realm " + realm(realm)
          + ": " + Format.words(ids));
      }
    }

    private JsonObject params() {
      JsonObject p = new JsonObject();
      if (paramsJson != null) {
        Object v = Body.parse(paramsJson, "--params");
        if (!(v instanceof JsonObject)) {
          throw new CliException("--params must be a JSON object such as {\"size\": 3}");
        }
        p.mergeIn((JsonObject) v);
      }
      for (String kv : params) {
        int eq = kv.indexOf('=');
        if (eq < 1) {
          throw new CliException("--param wants KEY=VALUE, not '" + kv + "'");
        }
        String value = kv.substring(eq + 1);
        Object parsed;
        try {
          parsed = Json.decodeValue(value);
        } catch (DecodeException e) {
          parsed = value;
        }
        p.put(kv.substring(0, eq), parsed);
      }
      return p;
    }
  }

  @Command(name = "stop", description = "Stop actors by id, or every actor of a category.")
  static final class Stop extends ClientCommand {
    @Parameters(paramLabel = "ID", arity = "0..*", description = "Actor ids.")
    List<String> ids = new ArrayList<>();

    @Option(names = {"-c", "--category"}, description = "Stop every actor this category reaches.")
    String category;

    @Option(names = {"-r", "--realm"}, description = "Realm (default: global, or the shell's realm).")
    String realm;

    @Override
    void run() {
      if (ids.isEmpty() == (category == null)) {
        throw new CliException("name actor ids or --category, not both and not neither");
      }
      String base = "/v1/realms/" + seg(realm(realm)) + "/actors";
      if (category != null) {
        JsonObject r = client().delete(base + "?category=" + seg(category)).object();
        if (json()) {
          printJson(r);
        } else {
          out().println("stopped " + r.getInteger("stopped") + " actor" + (r.getInteger("stopped") == 1 ? "" : "s"));
        }
        return;
      }
      for (String id : ids) {
        client().delete(base + "/" + seg(id));
        if (!json()) {
          out().println("stopped " + id);
        }
      }
      if (json()) {
        printJson(new JsonObject().put("stopped", ids.size()));
      }
    }
  }

  @Command(name = "restart", description = "Roll actors onto the realm's current code, one at a time.")
  static final class Restart extends ClientCommand {
    @Option(names = {"-r", "--realm"}, description = "Realm (default: global, or the shell's realm).")
    String realm;

    @Option(names = {"-c", "--category"}, description = "Only this category (default: the whole realm).")
    String category;

    @Override
    void run() {
      String query = category == null ? "" : "?category=" + seg(category);
      JsonObject r = client().post("/v1/realms/" + seg(realm(realm)) + "/restart" + query, null).object();
      if (json()) {
        printJson(r);
      } else {
        out().println("restarted " + r.getInteger("restarted") + " actor" + (r.getInteger("restarted") == 1 ? "" : "s"));
      }
    }
  }

  @Command(name = "push", description = "Push *.jar and *.java files (or folders of them) into a realm; every node gets them.")
  static final class Push extends ClientCommand {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files or folders.")
    List<Path> files;

    @Option(names = {"-r", "--realm"}, description = "Realm (default: global, or the shell's realm).")
    String realm;

    @Override
    void run() {
      JsonArray pushed = new JsonArray();
      for (Path f : expand()) {
        byte[] content;
        try {
          content = Files.readAllBytes(f);
        } catch (IOException e) {
          throw new CliException("cannot read " + f + ": " + e.getMessage());
        }
        String name = f.getFileName().toString();
        String type = name.endsWith(".java") ? "text/x-java-source" : "application/java-archive";
        JsonObject r = client().send("PUT", "/v1/realms/" + seg(realm(realm)) + "/code/" + seg(name), content, type).object();
        pushed.add(r);
        if (!json()) {
          out().println("pushed " + name + " (" + content.length + " bytes) to realm " + realm(realm));
        }
      }
      if (json()) {
        printJson(pushed);
      }
    }

    private List<Path> expand() {
      List<Path> out = new ArrayList<>();
      for (Path p : files) {
        if (Files.isDirectory(p)) {
          try (Stream<Path> s = Files.list(p)) {
            s.filter(f -> f.toString().endsWith(".jar") || f.toString().endsWith(".java")).sorted().forEach(out::add);
          } catch (IOException e) {
            throw new CliException("cannot list " + p + ": " + e.getMessage());
          }
        } else if (!Files.isRegularFile(p)) {
          throw new CliException("no such file: " + p);
        } else if (!p.toString().endsWith(".jar") && !p.toString().endsWith(".java")) {
          throw new CliException(p + " is neither a .jar nor a .java file");
        } else {
          out.add(p);
        }
      }
      if (out.isEmpty()) {
        throw new CliException("nothing to push: no .jar or .java files in " + files);
      }
      return out;
    }
  }
}
