package dev.beach.behaviour;

import dev.beach.Actor;
import dev.beach.ActorInfo;
import dev.beach.ActorSpec;
import dev.beach.LogLine;
import dev.beach.LogPage;
import dev.beach.LogQuery;
import dev.beach.Placement;
import dev.beach.testkit.Await;
import dev.beach.testkit.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Actor logs across two clustered nodes: a category merged from both, a remote actor, a cursor over both. */
class ClusterLogsTest {

  private static final String REALM = "clusterlogs";
  private static TestCluster cluster;

  /** Logs the text it is sent. */
  public static class Talker extends Actor {
    @Override
    public Future<?> start() {
      on("say", req -> {
        log().info("{}", req.json().getString("text"));
        req.reply(null);
      });
      return super.start();
    }
  }

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static List<ActorInfo> deploySpread(String category) {
    Await.result(cluster.beach(0).deploy(ActorSpec.of(REALM, Talker.class, category).setInstances(2)
      .setPlacement(Placement.spread())));
    List<ActorInfo> actors = cluster.beach(0).directory(REALM, category);
    assertNotEquals(actors.get(0).node(), actors.get(1).node(), "one actor per node");
    return actors;
  }

  private static void say(ActorInfo a, String text) {
    Await.result(cluster.beach(0).actor(REALM, a.id()).request("say", new JsonObject().put("text", text)));
  }

  private static List<String> tagged(LogPage page) {
    return page.lines().stream().filter(l -> !l.message().equals("started"))
      .map(l -> l.actor() + "@" + l.node() + ":" + l.message()).collect(Collectors.toList());
  }

  @Test
  void aCategoryIsMergedFromEveryNodeAndACursorReadsOnOnBoth() {
    List<ActorInfo> actors = deploySpread("chat");
    ActorInfo a = actors.get(0);
    ActorInfo b = actors.get(1);
    say(a, "a one");
    say(b, "b one");
    LogPage page = Await.result(cluster.beach(1).logs(REALM, new LogQuery().setCategory("chat")));
    assertEquals(Set.of(a.id() + "@" + a.node() + ":a one", b.id() + "@" + b.node() + ":b one"), Set.copyOf(tagged(page)));
    assertEquals(Set.of(a.node(), b.node()), page.cursor().keySet(), "the cursor names both nodes");
    assertEquals(4, page.lines().size(), "two started lines and two written ones: " + page.lines());

    say(b, "b two");
    say(a, "a two");
    LogPage next = Await.result(cluster.beach(0).logs(REALM, new LogQuery().setCategory("chat").setCursor(page.cursor())));
    assertEquals(Set.of(a.id() + "@" + a.node() + ":a two", b.id() + "@" + b.node() + ":b two"), Set.copyOf(tagged(next)));
    assertEquals(List.of(), Await.result(cluster.beach(0).logs(REALM, new LogQuery().setCategory("chat")
      .setCursor(next.cursor()))).lines());
  }

  @Test
  void aRemoteActorIsReadFromAnyNodeEvenAfterItStopped() {
    List<ActorInfo> actors = deploySpread("remote");
    ActorInfo far = actors.stream().filter(x -> !x.node().equals(cluster.node(0).id())).findFirst().orElseThrow();
    say(far, "from afar");
    List<LogLine> lines = Await.result(cluster.beach(0).logs(REALM, new LogQuery().setActor(far.id()))).lines();
    assertEquals(List.of("started", "from afar"), lines.stream().map(LogLine::message).collect(Collectors.toList()));
    assertTrue(lines.stream().allMatch(l -> l.node().equals(far.node())));
    Await.result(cluster.beach(0).stop(far.id()));
    assertEquals(List.of("started", "from afar", "stopped"), Await.result(cluster.beach(0).logs(REALM,
      new LogQuery().setActor(far.id()))).lines().stream().map(LogLine::message).collect(Collectors.toList()));
  }
}
