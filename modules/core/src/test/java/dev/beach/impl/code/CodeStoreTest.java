package dev.beach.impl.code;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class CodeStoreTest {

  private static final String ECHO = Fixtures.actor(null, "Echo", "pushed");

  @TempDir
  Path tmp;

  @Test
  void aPushReachesEveryStoresFolder(Vertx vertx) throws Exception {
    CodeStore a = await(CodeStore.start(vertx, tmp.resolve("a")));
    CodeStore b = await(CodeStore.start(vertx, tmp.resolve("b")));
    await(a.push("demo", "Echo.java", Buffer.buffer(ECHO)));
    assertEquals(ECHO, Files.readString(tmp.resolve("a/demo/Echo.java")), "the pushing node has it when the push completes");
    Path copy = tmp.resolve("b/demo/Echo.java");
    eventually(() -> Files.exists(copy));
    assertEquals(ECHO, Files.readString(copy));
    try (var listing = Files.list(tmp.resolve("b/demo"))) {
      assertEquals(List.of(copy), listing.toList(), "no temporary file is left behind");
    }
    await(a.close());
    await(b.close());
  }

  @Test
  void aPushedSourceDeploysOnAnotherNode(Vertx vertx) throws Exception {
    CodeStore a = await(CodeStore.start(vertx, tmp.resolve("a")));
    CodeStore b = await(CodeStore.start(vertx, tmp.resolve("b")));
    await(a.push("demo", "Echo.java", Buffer.buffer(ECHO)));
    eventually(() -> Files.exists(tmp.resolve("b/demo/Echo.java")));
    RealmActorFactory factory = new RealmActorFactory(tmp.resolve("b"));
    try {
      assertEquals("pushed", Fixtures.who(factory.create("demo", "Echo")));
    } finally {
      factory.close();
    }
    await(a.close());
    await(b.close());
  }

  @Test
  void listAndReadShowTheLocalFolderIncludingFilesDroppedByHand(Vertx vertx) throws Exception {
    CodeStore store = await(CodeStore.start(vertx, tmp));
    long before = System.currentTimeMillis();
    await(store.push("demo", "Echo.java", Buffer.buffer(ECHO)));
    Fixtures.write(tmp.resolve("demo"), "Hand.java", Fixtures.actor(null, "Hand", "hand"));
    Fixtures.write(tmp.resolve("demo"), "notes.txt", "not code");

    List<JsonObject> files = await(store.list("demo"));
    assertEquals(List.of("Echo.java", "Hand.java"), files.stream().map(f -> f.getString("file")).toList());
    JsonObject echo = files.get(0);
    assertEquals(ECHO.length(), echo.getLong("size"));
    assertEquals(RealmFiles.sha256(ECHO.getBytes(StandardCharsets.UTF_8)), echo.getString("sha256"));
    // Written by the push above (a second of slack for file systems that keep whole seconds).
    long modifiedAt = echo.getLong("modifiedAt");
    assertTrue(modifiedAt >= before - 1000 && modifiedAt <= System.currentTimeMillis(), "modifiedAt " + modifiedAt);

    assertEquals(ECHO, await(store.read("demo", "Echo.java")).toString(StandardCharsets.UTF_8));
    assertTrue(await(store.read("demo", "Hand.java")).toString().contains("hand"));
    assertEquals(List.of(), await(store.list("empty")));
    await(store.close());
  }

  @Test
  void readingAMissingFileIs404(Vertx vertx) throws Exception {
    CodeStore store = await(CodeStore.start(vertx, tmp));
    BeachException e = failure(store.read("demo", "Nope.java"), ErrorCode.NOT_FOUND);
    assertEquals("no code file 'Nope.java' in realm 'demo'", e.getMessage());
    await(store.close());
  }

  @Test
  void anOversizeFileIs413AndStoresNothing(Vertx vertx) throws Exception {
    CodeStore store = await(CodeStore.start(vertx, tmp));
    Buffer big = Buffer.buffer(new byte[(int) CodeStore.MAX_FILE_SIZE + 1]);
    BeachException e = failure(store.push("demo", "Big.java", big), ErrorCode.TOO_LARGE);
    assertTrue(e.getMessage().contains("64 MiB"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("demo")));
    await(store.close());
  }

  @Test
  void badNamesAndFakeJarsAre400(Vertx vertx) throws Exception {
    CodeStore store = await(CodeStore.start(vertx, tmp.resolve("code")));
    Buffer content = Buffer.buffer(ECHO);
    failure(store.push("demo", "../Escape.java", content), ErrorCode.BAD_REQUEST);
    failure(store.push("demo", "/etc/passwd", content), ErrorCode.BAD_REQUEST);
    failure(store.push("..", "Echo.java", content), ErrorCode.BAD_REQUEST);
    failure(store.push("A B", "Echo.java", content), ErrorCode.BAD_REQUEST);
    failure(store.push("demo", "Echo.txt", content), ErrorCode.BAD_REQUEST);
    BeachException jar = failure(store.push("demo", "lib.jar", content), ErrorCode.BAD_REQUEST);
    assertTrue(jar.getMessage().contains("not a jar"), jar.getMessage());
    failure(store.read("demo", "../../x.java"), ErrorCode.BAD_REQUEST);
    failure(store.list("A B"), ErrorCode.BAD_REQUEST);
    assertFalse(Files.exists(tmp.resolve("Escape.java")));
    assertFalse(Files.exists(tmp.resolve("code/demo")));
    await(store.close());
  }

  @Test
  void aRealmLinkLeadingOutsideCannotBePushedThroughNorStored(Vertx vertx) throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createDirectories(tmp.resolve("code"));
    Files.createSymbolicLink(tmp.resolve("code/evil"), outside);
    Fixtures.write(outside, "Secret.java", "secret");
    CodeStore store = await(CodeStore.start(vertx, tmp.resolve("code")));
    failure(store.push("evil", "Echo.java", Buffer.buffer(ECHO)), ErrorCode.BAD_REQUEST);
    failure(store.list("evil"), ErrorCode.BAD_REQUEST);
    failure(store.read("evil", "Secret.java"), ErrorCode.BAD_REQUEST);
    assertFalse(Files.exists(outside.resolve("Echo.java")));
    CodeStore other = await(CodeStore.start(vertx, tmp.resolve("other")));
    assertFalse(Files.exists(tmp.resolve("other/evil")), "nothing was stored for other nodes either");
    await(store.close());
    await(other.close());
  }

  @Test
  void aStartingNodeCopiesEverythingStoredBefore(Vertx vertx) throws Exception {
    CodeStore first = await(CodeStore.start(vertx, tmp.resolve("first")));
    byte[] jar = Fixtures.jar(tmp, java.util.Map.of("J.java", Fixtures.actor("lib", "J", "jar")));
    await(first.push("demo", "Echo.java", Buffer.buffer(ECHO)));
    await(first.push("other", "lib.jar", Buffer.buffer(jar)));
    await(first.close());

    // A stale copy is replaced, a missing one is written.
    Fixtures.write(tmp.resolve("late/demo"), "Echo.java", "stale");
    CodeStore late = await(CodeStore.start(vertx, tmp.resolve("late")));
    assertEquals(ECHO, Files.readString(tmp.resolve("late/demo/Echo.java")));
    assertArrayEquals(jar, Files.readAllBytes(tmp.resolve("late/other/lib.jar")));
    await(late.close());
  }

  @Test
  void pushingTheSameContentAgainLeavesTheFileAlone(Vertx vertx) throws Exception {
    CodeStore store = await(CodeStore.start(vertx, tmp));
    await(store.push("demo", "Echo.java", Buffer.buffer(ECHO)));
    Path file = tmp.resolve("demo/Echo.java");
    Object inode = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    await(store.push("demo", "Echo.java", Buffer.buffer(ECHO)));
    assertEquals(inode, Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey());
    await(store.push("demo", "Echo.java", Buffer.buffer(ECHO + "// v2\n")));
    assertEquals(ECHO + "// v2\n", Files.readString(file));
    await(store.close());
  }

  private static <T> T await(Future<T> future) throws TimeoutException {
    return future.await(10, TimeUnit.SECONDS);
  }

  private static BeachException failure(Future<?> future, ErrorCode code) {
    RuntimeException e = assertThrows(RuntimeException.class, () -> await(future));
    BeachException beach = assertInstanceOf(BeachException.class, e);
    assertEquals(code, beach.code(), beach::toString);
    return beach;
  }

  private interface Check {
    boolean ok() throws IOException;
  }

  private static void eventually(Check check) throws Exception {
    long deadline = System.currentTimeMillis() + 5000;
    while (!check.ok()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met within 5 s");
      }
      Thread.sleep(20);
    }
  }
}
