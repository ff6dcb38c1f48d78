package dev.beach.launcher.impl;

import dev.beach.Actor;
import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.NodeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The deploy list on a single in-JVM node (no cluster): what runs is left alone, a bad entry does not stop the rest. */
class ManifestTest {

  public static class Noop extends Actor {
    @Override
    public Future<?> start() {
      on("ping", req -> req.reply("pong"));
      return super.start();
    }
  }

  private Vertx vertx;
  private BeachNode node;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    node = await(BeachNode.start(vertx, new NodeOptions()));
  }

  @AfterEach
  void stop() throws Exception {
    await(node.close());
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private int running(String category) throws Exception {
    return await(node.beach().actors("global", category)).size();
  }

  @Test
  void appliesEachEntryOnceAndSkipsWhatFails() throws Exception {
    List<ActorSpec> specs = List.of(
      ActorSpec.of("global", Noop.class, "first").setInstances(2),
      ActorSpec.of("global", "no.such.Actor", "broken"),
      ActorSpec.of("global", Noop.class, "last"));

    await(Manifest.apply(node, specs, LoggerFactory.getLogger(ManifestTest.class)));
    assertEquals(2, running("first"));
    assertEquals(0, running("broken"));
    assertEquals(1, running("last"), "a failing entry does not stop the ones after it");

    await(Manifest.apply(node, specs, LoggerFactory.getLogger(ManifestTest.class)));
    assertEquals(2, running("first"), "a category that already runs is left as is");
    assertEquals(1, running("last"));
  }
}
