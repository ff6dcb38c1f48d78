package dev.beach.impl.code;

import dev.beach.ActorSpec;
import dev.beach.BeachException;
import dev.beach.BeachNode;
import dev.beach.ErrorCode;
import dev.beach.NodeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Realm code through a running (single, non-clustered) node: deploy from a folder, push, change, restart. */
@ExtendWith(VertxExtension.class)
class RealmCodeNodeTest {

  @TempDir
  Path tmp;

  /** An actor answering "greet" with its version and the name of its context class loader. */
  private static String greeter(String version) {
    return "import io.vertx.core.Future;\n"
      + "import io.vertx.core.json.JsonObject;\n"
      + "public class Greeter extends dev.beach.Actor {\n"
      + "  @Override\n"
      + "  public Future<?> start() {\n"
      + "    on(\"greet\", req -> req.reply(new JsonObject().put(\"version\", \"" + version + "\")\n"
      + "      .put(\"hello\", req.json().getString(\"name\"))));\n"
      + "    return super.start();\n"
      + "  }\n"
      + "}\n";
  }

  @Test
  void aSourceInARealmFolderIsDeployedChangedAndRolled(Vertx vertx) throws Exception {
    Path code = tmp.resolve("code");
    Fixtures.write(code.resolve("demo"), "Greeter.java", greeter("v1"));
    BeachNode node = await(BeachNode.start(vertx, new NodeOptions().setCodeDir(code.toString())));
    try {
      await(node.beach().deploy(ActorSpec.of("demo", "Greeter", "greet").setInstances(2)));
      JsonObject reply = await(node.beach().handle("demo", "greet").request("greet", new JsonObject().put("name", "ann")));
      assertEquals(new JsonObject().put("version", "v1").put("hello", "ann"), reply);

      Fixtures.rewrite(code.resolve("demo/Greeter.java"), greeter("v2"));
      assertEquals("v1", this.<JsonObject>await(node.beach().handle("demo", "greet").request("greet", new JsonObject()))
        .getString("version"), "running actors keep their code until a restart");
      assertEquals(2, (int) await(node.beach().restart("demo", "greet")));
      for (int i = 0; i < 4; i++) {
        assertEquals("v2", this.<JsonObject>await(node.beach().handle("demo", "greet").request("greet", new JsonObject()))
          .getString("version"));
      }
    } finally {
      await(node.close());
    }
  }

  @Test
  void aBaseFolderIsReadButPushesLandInTheCodeFolderAndSurviveARestart(Vertx vertx) throws Exception {
    Path base = tmp.resolve("samples");
    Path code = tmp.resolve("data").resolve("realms");
    Path sample = Fixtures.write(base.resolve("demo"), "Greeter.java", greeter("sample"));
    NodeOptions options = new NodeOptions().setCodeDir(code.toString()).setBaseCodeDir(base.toString());
    BeachNode node = await(BeachNode.start(vertx, options));
    try {
      await(node.beach().deploy(ActorSpec.of("demo", "Greeter", "greet")));
      assertEquals("sample", this.<JsonObject>await(node.beach().handle("demo", "greet").request("greet", new JsonObject()))
        .getString("version"), "the base folder's code runs");
      assertEquals("Greeter.java", await(node.beach().codeFiles("demo")).get(0).getString("file"));
      assertEquals(greeter("sample"), await(node.beach().code("demo", "Greeter.java")).toString());

      await(node.beach().pushCode("demo", "Greeter.java", Buffer.buffer(greeter("pushed"))));
      await(node.beach().pushCode("demo", "Extra.java", Buffer.buffer(greeter("extra").replace("Greeter", "Extra"))));
      assertEquals(greeter("sample"), java.nio.file.Files.readString(sample), "the base folder is never written");
      try (var files = java.nio.file.Files.list(base.resolve("demo"))) {
        assertEquals(1, files.count(), "nothing new in the base folder");
      }
      assertEquals(greeter("pushed"), java.nio.file.Files.readString(code.resolve("demo/Greeter.java")));
      assertEquals(greeter("pushed"), await(node.beach().code("demo", "Greeter.java")).toString(), "a push wins");
      assertEquals(List.of("Extra.java", "Greeter.java"), await(node.beach().codeFiles("demo")).stream()
        .map(f -> f.getString("file")).toList());
    } finally {
      await(node.close());
    }
    BeachNode again = await(BeachNode.start(vertx, options));
    try {
      assertEquals(greeter("pushed"), await(again.beach().code("demo", "Greeter.java")).toString(), "kept across a restart");
      await(again.beach().deploy(ActorSpec.of("demo", "Greeter", "greet")));
      assertEquals("pushed", this.<JsonObject>await(again.beach().handle("demo", "greet").request("greet", new JsonObject()))
        .getString("version"));
    } finally {
      await(again.close());
    }
  }

  @Test
  void pushedCodeIsListedReadAndDeployable(Vertx vertx) throws Exception {
    BeachNode node = await(BeachNode.start(vertx, new NodeOptions().setCodeDir(tmp.resolve("code").toString())));
    try {
      await(node.beach().pushCode("pushed", "Greeter.java", Buffer.buffer(greeter("pushed"))));
      List<JsonObject> files = await(node.beach().codeFiles("pushed"));
      assertEquals("Greeter.java", files.get(0).getString("file"));
      assertEquals(greeter("pushed"), await(node.beach().code("pushed", "Greeter.java")).toString());
      await(node.beach().deploy(ActorSpec.of("pushed", "Greeter", "greet")));
      assertEquals("pushed", this.<JsonObject>await(node.beach().handle("pushed", "greet").request("greet", new JsonObject()))
        .getString("version"));
    } finally {
      await(node.close());
    }
  }

  @Test
  void deployFailuresCarryTheRealmCodeErrors(Vertx vertx) throws Exception {
    Path code = tmp.resolve("code");
    Fixtures.write(code.resolve("demo"), "Broken.java", "public class Broken extends dev.beach.Actor {\n  nonsense\n}\n");
    BeachNode node = await(BeachNode.start(vertx, new NodeOptions().setCodeDir(code.toString())));
    try {
      BeachException compile = failure(node.beach().deploy(ActorSpec.of("demo", "Broken", "b")));
      assertEquals(ErrorCode.BAD_REQUEST, compile.code(), compile::toString);
      assertTrue(compile.getMessage().contains("Broken.java:2:"), compile::toString);
      BeachException missing = failure(node.beach().deploy(ActorSpec.of("demo", "com.example.Missing", "m")));
      assertEquals(ErrorCode.NOT_FOUND, missing.code(), missing::toString);
      assertTrue(missing.getMessage().contains("com.example.Missing") && missing.getMessage().contains("'demo'"), missing::toString);
    } finally {
      await(node.close());
    }
  }

  private <T> T await(Future<T> future) throws TimeoutException {
    return future.await(20, TimeUnit.SECONDS);
  }

  private BeachException failure(Future<?> future) {
    RuntimeException e = assertThrows(RuntimeException.class, () -> await(future));
    return assertInstanceOf(BeachException.class, e);
  }
}
