package dev.beach.launcher.cli;

import dev.beach.Actor;
import dev.beach.ActorSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code beach map}: an NDJSON file through a job and back, against a live gateway. */
class MapCommandTest {

  private static LiveGateway live;

  /** square: n → n²; slow: n → n² after 20 ms. */
  public static class Squares extends Actor {
    @Override
    public Future<?> start() {
      on("square", req -> {
        long n = ((Number) req.body()).longValue();
        req.reply(n * n);
      });
      on("slow", req -> {
        long n = ((Number) req.body()).longValue();
        after(20, t -> req.reply(n * n));
      });
      return super.start();
    }
  }

  @BeforeAll
  static void start() {
    live = LiveGateway.start("map-admin");
    LiveGateway.await(live.node.beach().deploy(ActorSpec.of("maps", Squares.class, "math").setInstances(2)));
  }

  @AfterAll
  static void stop() {
    live.close();
  }

  private static Path inputs(Path dir, int n, int badAt) throws IOException {
    Path file = dir.resolve("in.ndjson");
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < n; i++) {
      text.append(i == badAt ? "{not json" : Integer.toString(i)).append('\n');
    }
    Files.writeString(file, text.toString());
    return file;
  }

  private static List<JsonObject> lines(String text) {
    List<JsonObject> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        out.add(new JsonObject(line));
      }
    }
    return out;
  }

  @Test
  void mapWritesOneResultPerInputInOrderAndASummary(@TempDir Path dir) throws IOException {
    Path in = inputs(dir, 1000, 10);
    Path out = dir.resolve("out.ndjson");
    LiveGateway.Result r = live.run("map", "maps", "math", "square", "--input", in.toString(), "--output",
      out.toString(), "--chunk", "50");
    assertEquals(0, r.code, r.toString());
    List<JsonObject> lines = lines(Files.readString(out, StandardCharsets.UTF_8));
    assertEquals(1000, lines.size());
    for (int i = 0; i < 1000; i++) {
      JsonObject line = lines.get(i);
      assertEquals(i, line.getInteger("i"));
      if (i == 10) {
        assertFalse(line.getBoolean("ok"));
        assertEquals(400, line.getJsonObject("error").getInteger("code"));
      } else {
        assertEquals((long) i * i, line.getLong("value"));
      }
    }
    assertTrue(r.out.contains("succeeded: 1000 items, 1 failed"), r.toString());
    assertTrue(r.out.contains("items/s"), r.toString());
  }

  @Test
  void unorderedResultsGoToStandardOutputEachOnce(@TempDir Path dir) throws IOException {
    Path in = inputs(dir, 500, -1);
    LiveGateway.Result r = live.run("map", "maps", "math", "square", "--input", in.toString(), "--unordered");
    assertEquals(0, r.code, r.toString());
    BitSet seen = new BitSet();
    for (JsonObject line : lines(r.out)) {
      int i = line.getInteger("i");
      assertFalse(seen.get(i), "index " + i + " twice");
      seen.set(i);
      assertEquals((long) i * i, line.getLong("value"));
    }
    assertEquals(500, seen.cardinality());
    assertTrue(r.err.contains("500 items, 0 failed"), "the summary goes to standard error: " + r);
  }

  @Test
  void failuresExitNonZeroSayingWhy(@TempDir Path dir) throws IOException {
    LiveGateway.Result missing = live.run("map", "maps", "math", "square", "--input", dir.resolve("nope.ndjson").toString());
    assertEquals(1, missing.code);
    assertTrue(missing.err.contains("cannot read the input file"), missing.toString());

    Path in = inputs(dir, 50, -1);
    LiveGateway.Result empty = live.run("map", "maps", "nobody", "square", "--input", in.toString());
    assertEquals(1, empty.code);
    assertTrue(empty.err.contains("error 503"), empty.toString());

    LiveGateway.Result badChunk = live.run("map", "maps", "math", "square", "--input", in.toString(), "--chunk", "0");
    assertEquals(1, badChunk.code);
    assertTrue(badChunk.err.contains("chunkSize must be between"), badChunk.toString());

    Path many = inputs(dir, 2000, -1);
    LiveGateway.Result slow = live.run("map", "maps", "math", "slow", "--input", many.toString(), "--output",
      dir.resolve("slow.ndjson").toString(), "--chunk", "5", "--job-timeout", "300");
    assertEquals(1, slow.code, slow.toString());
    assertTrue(slow.err.contains("error 504") && slow.err.contains("jobTimeoutMs"), slow.toString());
  }
}
