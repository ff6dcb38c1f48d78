package dev.beach.testkit;

import dev.beach.Actor;
import dev.beach.ActorSpec;
import dev.beach.ActorStats;
import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.BeachNode;
import dev.beach.NodeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs one actor on a single Beach node with no cluster (py-beach's test mode): send it requests, read its
 * replies, failures and stats. Close it to stop the node.
 *
 * <pre>{@code
 * try (ActorTestKit kit = ActorTestKit.start(Counter.class)) {
 *   JsonObject r = kit.request("add", new JsonObject().put("n", 2));
 *   assertEquals(2, r.getLong("count"));
 *   assertEquals(1, kit.stats().processed());
 * }
 * }</pre>
 */
public final class ActorTestKit implements AutoCloseable {

  public static final String REALM = "test";
  public static final String CATEGORY = "subject";

  private final Vertx vertx;
  private final BeachNode node;
  private final String actorId;
  private final String realm;

  private ActorTestKit(Vertx vertx, BeachNode node, String actorId, String realm) {
    this.vertx = vertx;
    this.node = node;
    this.actorId = actorId;
    this.realm = realm;
  }

  /** One actor of {@code type} in realm {@value #REALM}, category {@value #CATEGORY}, no parameters. */
  public static ActorTestKit start(Class<? extends Actor> type) {
    return start(ActorSpec.of(REALM, type, CATEGORY));
  }

  public static ActorTestKit start(Class<? extends Actor> type, JsonObject params) {
    return start(ActorSpec.of(REALM, type, CATEGORY).setParams(params));
  }

  /** One actor as {@code spec} describes it ({@code instances} is forced to 1). */
  public static ActorTestKit start(ActorSpec spec) {
    Vertx vertx = Vertx.vertx();
    try {
      BeachNode node = Await.result(BeachNode.start(vertx, new NodeOptions()));
      List<String> ids = Await.result(node.beach().deploy(new ActorSpec(spec).setInstances(1)));
      return new ActorTestKit(vertx, node, ids.get(0), spec.getRealm());
    } catch (RuntimeException | Error e) {
      vertx.close();
      throw e;
    }
  }

  public String actorId() {
    return actorId;
  }

  public Beach beach() {
    return node.beach();
  }

  public BeachNode node() {
    return node;
  }

  /** Sends a request and waits for the reply; a failure is thrown as {@link BeachException}. */
  public <T> T request(String op, Object body) {
    return Await.result(requestAsync(op, body));
  }

  public <T> Future<T> requestAsync(String op, Object body) {
    return node.beach().actor(realm, actorId).withRetries(0).request(op, body);
  }

  /** Sends a request expected to fail and returns its typed failure. */
  public BeachException failure(String op, Object body) {
    return Await.failure(requestAsync(op, body));
  }

  /** Reads a streamed reply to its end. */
  public <T> List<T> stream(String op, Object body) {
    List<T> items = new ArrayList<>();
    io.vertx.core.Promise<List<T>> done = io.vertx.core.Promise.promise();
    vertx.runOnContext(v -> node.beach().actor(realm, actorId).<T>requestStream(op, body)
      .exceptionHandler(done::tryFail)
      .endHandler(x -> done.tryComplete(items))
      .handler(items::add));
    return Await.result(done.future());
  }

  public ActorStats stats() {
    return Await.result(node.beach().actors(realm, null)).stream()
      .filter(a -> a.id().equals(actorId)).findFirst()
      .orElseThrow(() -> new AssertionError("actor " + actorId + " is not running")).stats();
  }

  @Override
  public void close() {
    try {
      Await.result(node.close());
    } finally {
      Await.result(vertx.close());
    }
  }
}
