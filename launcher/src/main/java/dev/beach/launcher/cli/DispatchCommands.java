package dev.beach.launcher.cli;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import static dev.beach.launcher.cli.GatewayClient.seg;

/** Requests to a category: request (one reply), shoot, broadcast, all (every actor's outcome). */
final class DispatchCommands {

  private DispatchCommands() {
  }

  abstract static class Dispatch extends ClientCommand {
    @Parameters(index = "0", paramLabel = "CATEGORY", description = "Category, e.g. analytics.ingest.")
    String category;

    @Parameters(index = "1", paramLabel = "OP", description = "Operation, e.g. echo.")
    String op;

    @Parameters(index = "2", arity = "0..1", paramLabel = "BODY",
      description = "JSON body (default: none), @file, or - for standard input.")
    String body;

    @Option(names = {"-r", "--realm"}, description = "Realm (default: global, or the shell's realm).")
    String realm;

    @Option(names = "--timeout", paramLabel = "MS", description = "How long to wait for the answer.")
    Long timeout;

    @Option(names = "--key", description = "Affinity key: the same key reaches the same actor.")
    String key;

    @Option(names = "--local", description = "Prefer an actor on the gateway's node.")
    boolean local;

    abstract String mode();

    JsonObject send() {
      return (JsonObject) sendRaw();
    }

    Object sendRaw() {
      StringBuilder q = new StringBuilder("?mode=").append(mode());
      if (timeout != null) {
        q.append("&timeout=").append(timeout);
      }
      if (key != null) {
        q.append("&key=").append(seg(key));
      }
      if (local) {
        q.append("&local=true");
      }
      String path = "/v1/realms/" + seg(realm(realm)) + "/categories/" + seg(category) + "/" + seg(op) + q;
      return client().post(path, Body.read(body, System.in)).json();
    }
  }

  @Command(name = "request", description = "Send a request to one actor of a category and print its reply.")
  static final class Request extends Dispatch {
    @Override
    String mode() {
      return "one";
    }

    @Override
    void run() {
      printJson(sendRaw());
    }
  }

  @Command(name = "shoot", description = "Send a request without waiting for a reply (fire and forget).")
  static final class Shoot extends Dispatch {
    @Override
    String mode() {
      return "shoot";
    }

    @Override
    void run() {
      JsonObject r = send();
      if (json()) {
        printJson(r);
      } else {
        out().println("sent");
      }
    }
  }

  @Command(name = "broadcast", description = "Send a request to every actor of a category; no replies.")
  static final class Broadcast extends Dispatch {
    @Override
    String mode() {
      return "broadcast";
    }

    @Override
    void run() {
      JsonObject r = send();
      if (json()) {
        printJson(r);
      } else {
        out().println("sent to " + r.getInteger("targeted") + " actor" + (r.getInteger("targeted") == 1 ? "" : "s"));
      }
    }
  }

  @Command(name = "all", description = "Send a request to every actor of a category and print each outcome.")
  static final class All extends Dispatch {
    @Override
    String mode() {
      return "all";
    }

    @Override
    void run() {
      JsonObject r = send();
      if (json()) {
        printJson(r);
        return;
      }
      Format.Table t = new Format.Table("ACTOR", "NODE", "OK", "REPLY");
      int failed = 0;
      for (Object o : r.getJsonArray("replies", new JsonArray())) {
        JsonObject reply = (JsonObject) o;
        boolean ok = reply.getBoolean("ok", false);
        JsonObject error = reply.getJsonObject("error");
        t.row(reply.getString("actor"), reply.getString("node"), ok ? "yes" : "no",
          ok ? Json.encode(reply.getValue("data")) : error.getInteger("code") + " " + error.getString("message"));
        failed += ok ? 0 : 1;
      }
      out().print(t);
      if (failed > 0) {
        throw new CliException(failed + " of " + t.size() + " actors failed");
      }
    }
  }
}
