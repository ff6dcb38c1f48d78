package dev.beach.impl.code;

import dev.beach.Address;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replicated code carries a signature made with the cluster secret; a store with a secret writes nothing it cannot
 * verify. Stores here share one Vert.x, hence one map and one notice address, as nodes share the cluster's; the
 * "attacker" writes that map directly, as any Hazelcast member can.
 */
@ExtendWith(VertxExtension.class)
class CodeStoreSigningTest {

  private static final String SECRET = "0123456789abcdef-code-signing-test";
  private static final String ECHO = Fixtures.actor(null, "Echo", "pushed");
  /** The same length as {@link #ECHO}: only the hash, not the size, tells them apart. */
  private static final String EVIL = ECHO.replace("pushed", "pwned!");

  @TempDir
  Path tmp;
  private final List<CodeStore.Rejection> rejections = new CopyOnWriteArrayList<>();

  private Future<CodeStore> store(Vertx vertx, String name, String secret) {
    return CodeStore.start(vertx, tmp.resolve(name), name, secret, rejections::add);
  }

  @Test
  void aSignedPushIsWrittenByEveryNodeWithTheSecret(Vertx vertx) throws Exception {
    CodeStore a = await(store(vertx, "a", SECRET));
    CodeStore b = await(store(vertx, "b", SECRET));
    await(a.push("demo", "Echo.java", Buffer.buffer(ECHO)));
    eventually(() -> Files.exists(tmp.resolve("b/demo/Echo.java")));
    assertEquals(ECHO, Files.readString(tmp.resolve("b/demo/Echo.java")));
    assertEquals(List.of(), rejections);
    CodeStore late = await(store(vertx, "late", SECRET));
    assertEquals(ECHO, Files.readString(tmp.resolve("late/demo/Echo.java")), "a starting node verifies and copies");
    assertEquals(0, a.rejected() + b.rejected() + late.rejected());
  }

  @Test
  void aNodeWithASecretRefusesUnsignedEntriesAndOneWithoutAcceptsBoth(Vertx vertx) throws Exception {
    CodeStore open = await(store(vertx, "open", null));
    CodeStore closed = await(store(vertx, "closed", SECRET));
    await(open.push("demo", "Echo.java", Buffer.buffer(ECHO)));
    eventually(() -> closed.rejected() == 1);
    assertFalse(Files.exists(tmp.resolve("closed/demo/Echo.java")), "an unsigned entry is never written");
    assertEquals(ECHO, Files.readString(tmp.resolve("open/demo/Echo.java")), "a node without a secret takes it as before");
    CodeStore.Rejection r = rejections.get(0);
    assertEquals(List.of("demo", "Echo.java", "open"), List.of(r.realm(), r.file(), r.from()));
    assertTrue(r.reason().contains("unsigned"), r.reason());

    await(closed.push("demo", "Other.java", Buffer.buffer(Fixtures.actor(null, "Other", "signed"))));
    eventually(() -> Files.exists(tmp.resolve("open/demo/Other.java")));
    assertEquals(1, rejections.size());
  }

  @Test
  void anEntrySignedWithAnotherSecretIsRefused(Vertx vertx) throws Exception {
    CodeStore ours = await(store(vertx, "ours", SECRET));
    CodeStore theirs = await(store(vertx, "theirs", "another-secret-of-16-or-more"));
    await(theirs.push("demo", "Echo.java", Buffer.buffer(ECHO)));
    eventually(() -> ours.rejected() == 1);
    assertFalse(Files.exists(tmp.resolve("ours/demo/Echo.java")));
    assertTrue(rejections.get(0).reason().contains("signature does not verify"), rejections.get(0).reason());
  }

  @Test
  void tamperedContentARenamedEntryAndRawBytesAreRefusedByEveryNode(Vertx vertx) throws Exception {
    CodeStore a = await(store(vertx, "a", SECRET));
    CodeStore b = await(store(vertx, "b", SECRET));
    await(a.push("demo", "Echo.java", Buffer.buffer(ECHO)));
    eventually(() -> Files.exists(tmp.resolve("b/demo/Echo.java")));
    AsyncMap<String, Buffer> map = await(vertx.sharedData().getAsyncMap(Address.CODE_MAP));
    Buffer signed = await(map.get("demo/Echo.java"));

    // The signed header kept, the content swapped (same length, so only the hash can tell).
    CodeEntry.Decoded d = CodeEntry.decode(signed);
    forge(vertx, map, "demo/Echo.java", d.entry().encode(Buffer.buffer(EVIL)));
    eventually(() -> a.rejected() == 1 && b.rejected() == 1);
    // The same signed entry under another name.
    forge(vertx, map, "demo/Moved.java", signed);
    eventually(() -> a.rejected() == 2 && b.rejected() == 2);
    // Raw bytes: what this map held before entries were signed, and what a stranger writes.
    forge(vertx, map, "demo/Raw.java", Buffer.buffer(EVIL));
    eventually(() -> a.rejected() == 3 && b.rejected() == 3);

    for (String node : List.of("a", "b")) {
      assertEquals(ECHO, Files.readString(tmp.resolve(node + "/demo/Echo.java")), node + " kept the signed content");
      assertFalse(Files.exists(tmp.resolve(node + "/demo/Moved.java")), node);
      assertFalse(Files.exists(tmp.resolve(node + "/demo/Raw.java")), node);
    }
    List<String> reasons = rejections.stream().map(CodeStore.Rejection::reason).toList();
    assertTrue(reasons.stream().anyMatch(r -> r.contains("not the content that was signed")), reasons::toString);
    assertTrue(reasons.stream().anyMatch(r -> r.contains("stored as demo/Moved.java but made for demo/Echo.java")),
      reasons::toString);
    assertTrue(reasons.stream().anyMatch(r -> r.contains("no Beach code header")), reasons::toString);

    CodeStore late = await(store(vertx, "late", SECRET));
    assertEquals(3, late.rejected(), "a node that starts later refuses them too");
    assertFalse(Files.exists(tmp.resolve("late/demo/Echo.java")), "the tampered entry is what the map holds now");
  }

  @Test
  void aReplayedOlderVersionIsRefusedByNodesThatHaveANewerOne(Vertx vertx) throws Exception {
    CodeStore a = await(store(vertx, "a", SECRET));
    CodeStore b = await(store(vertx, "b", SECRET));
    AsyncMap<String, Buffer> map = await(vertx.sharedData().getAsyncMap(Address.CODE_MAP));
    await(a.push("demo", "Echo.java", Buffer.buffer(ECHO)));
    Buffer v1 = await(map.get("demo/Echo.java"));
    String v2 = ECHO + "// v2\n";
    await(a.push("demo", "Echo.java", Buffer.buffer(v2)));
    eventually(() -> v2.equals(Files.readString(tmp.resolve("b/demo/Echo.java"))));
    assertTrue(CodeEntry.decode(await(map.get("demo/Echo.java"))).entry().version() > CodeEntry.decode(v1).entry().version());

    forge(vertx, map, "demo/Echo.java", v1);
    eventually(() -> a.rejected() == 1 && b.rejected() == 1);
    assertEquals(v2, Files.readString(tmp.resolve("a/demo/Echo.java")));
    assertEquals(v2, Files.readString(tmp.resolve("b/demo/Echo.java")));
    assertTrue(rejections.get(0).reason().contains("older than version"), rejections.get(0).reason());

    // The next honest push goes above the replayed version and is taken everywhere.
    String v3 = ECHO + "// v3\n";
    await(b.push("demo", "Echo.java", Buffer.buffer(v3)));
    eventually(() -> v3.equals(Files.readString(tmp.resolve("a/demo/Echo.java"))));
  }

  /** What an intruder does: write the map, then announce it on the notice address. */
  private static void forge(Vertx vertx, AsyncMap<String, Buffer> map, String key, Buffer value) throws Exception {
    await(map.put(key, value));
    int slash = key.indexOf('/');
    vertx.eventBus().publish(Address.CODE_NOTICES, new JsonObject().put("realm", key.substring(0, slash))
      .put("file", key.substring(slash + 1)).put("sha256", RealmFiles.sha256(value.getBytes())));
  }

  private static <T> T await(Future<T> future) throws TimeoutException {
    return future.await(10, TimeUnit.SECONDS);
  }

  private interface Check {
    boolean ok() throws Exception;
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
