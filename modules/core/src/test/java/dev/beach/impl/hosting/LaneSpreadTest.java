package dev.beach.impl.hosting;

import dev.beach.Actor;
import dev.beach.ActorInfo;
import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A node spreads each kind of actor over its event loops, so that every loop hosts one when there are enough. */
class LaneSpreadTest {

  private static final String REALM = "lanes";
  private static final int LOOPS = 4;
  private static Vertx vertx;
  private static BeachNode node;

  public static class Idle extends Actor {
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS));
    node = await(BeachNode.start(vertx, new NodeOptions()));
  }

  @AfterAll
  static void stop() throws Exception {
    await(node.close());
    await(vertx.close());
  }

  @Test
  void asManyActorsAsLoopsTakeOneLoopEach() throws Exception {
    assertEquals(Map.of(0, 1, 1, 1, 2, 1, 3, 1), lanesOf(deploy("one-each", LOOPS)));
  }

  @Test
  void twiceAsManyTakeTwoPerLoop() throws Exception {
    assertEquals(Map.of(0, 2, 1, 2, 2, 2, 3, 2), lanesOf(deploy("two-each", 2 * LOOPS)));
  }

  @Test
  void laterDeploymentsOfTheSameKindFillTheLoopsItLacks() throws Exception {
    // Whatever else the node does between them (here: a context made, which takes Vert.x's next loop), each
    // single-actor deployment lands on a loop the kind has no actor on yet.
    for (int i = 0; i < LOOPS; i++) {
      ((VertxInternal) vertx).createEventLoopContext();
      deploy("grown", 1);
    }
    assertEquals(Map.of(0, 1, 1, 1, 2, 1, 3, 1), lanesOf("grown"));
  }

  private static String deploy(String category, int instances) throws Exception {
    await(node.beach().deploy(ActorSpec.of(REALM, Idle.class, category).setInstances(instances)
      .setPlacement(Placement.local())));
    return category;
  }

  /** How many of the category's actors run on each lane. */
  private static Map<Integer, Integer> lanesOf(String category) {
    Map<Integer, Integer> out = new TreeMap<>();
    for (ActorInfo a : node.beach().directory(REALM, category)) {
      out.merge(a.lane(), 1, Integer::sum);
    }
    return out;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
