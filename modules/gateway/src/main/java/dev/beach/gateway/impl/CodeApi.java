package dev.beach.gateway.impl;

import dev.beach.Beach;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Realm code: push a {@code *.jar} or {@code *.java} file (admin), list and read them (realm). */
final class CodeApi {

  static final String FILE_RULE = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127} ending in .jar or .java";
  private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\\.(jar|java)");
  private static final Set<String> TYPES = Set.of(Bodies.OCTETS, "application/java-archive", "application/zip",
    "application/x-java-archive", "text/x-java-source", "text/x-java", "text/plain");

  private final Beach beach;
  private final long maxCodeBytes;

  CodeApi(Beach beach, long maxCodeBytes) {
    this.beach = beach;
    this.maxCodeBytes = maxCodeBytes;
  }

  void register(ApiRouter api) {
    api.get("/v1/realms/:realm/code", Access.REALM, this::list);
    api.get("/v1/realms/:realm/code/:file", Access.REALM, this::read);
    api.withBody(HttpMethod.PUT, "/v1/realms/:realm/code/:file", Access.ADMIN, TYPES, maxCodeBytes, this::push);
  }

  static String file(RoutingContext ctx) {
    String file = ctx.pathParam("file");
    if (file == null || !FILE.matcher(file).matches() || file.contains("..")) {
      throw HttpErrors.bad("invalid code file name '" + Bodies.abbreviate(String.valueOf(file)) + "': must match "
        + FILE_RULE + ", without '..'");
    }
    return file;
  }

  private void list(RoutingContext ctx) {
    String realm = Params.realm(ctx);
    Replies.then(ctx, beach.codeFiles(realm), files -> Replies.json(ctx, 200, new JsonArray(List.copyOf(files))));
  }

  private void read(RoutingContext ctx) {
    String realm = Params.realm(ctx);
    String file = file(ctx);
    String type = file.endsWith(".java") ? "text/x-java-source; charset=utf-8" : "application/java-archive";
    Replies.then(ctx, beach.code(realm, file), content -> Replies.bytes(ctx, 200, type, content));
  }

  private void push(RoutingContext ctx) {
    String realm = Params.realm(ctx);
    String file = file(ctx);
    Buffer content = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
    if (content.length() == 0) {
      throw HttpErrors.bad("the body is empty: send the file's bytes (curl --data-binary @" + file + ")");
    }
    Replies.then(ctx, beach.pushCode(realm, file, content), v -> Replies.json(ctx, 201, new JsonObject()
      .put("realm", realm).put("file", file).put("size", content.length())));
  }
}
