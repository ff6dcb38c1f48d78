package dev.beach.control;

import io.vertx.codegen.annotations.Nullable;
import io.vertx.codegen.annotations.ProxyGen;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What one node does when another (or a client) asks: start and stop its own actors, report itself and
 * its actors, drain, shut down. Failures are {@code ServiceException}s whose failure code is the
 * {@link dev.beach.ErrorCode} and whose message is the JSON form of the {@link dev.beach.BeachException}.
 */
@ProxyGen
@VertxGen
public interface NodeService {

  /** Starts {@code instances} actors of {@code spec} (ActorSpec JSON) here; completes with their ids. */
  Future<JsonArray> deploy(JsonObject spec, int instances);

  /** Stops the listed actors hosted here; completes with how many were found and stopped. */
  Future<Integer> stop(JsonArray ids);

  /** Stops this node's actors of {@code realm} reached by {@code category} (null: the whole realm). */
  Future<Integer> stopCategory(String realm, @Nullable String category);

  /**
   * Replaces the listed local actors one at a time with fresh instances of the realm's current code (same
   * spec), starting each replacement before stopping the old one; completes with how many were replaced.
   */
  Future<Integer> restart(JsonArray ids);

  /** Stops every actor on this node. */
  Future<Integer> stopAll();

  /** {@code NodeInfo} JSON. */
  Future<JsonObject> info();

  /**
   * {@code {node, seq, actors:[ActorInfo JSON]}} for this node's actors in {@code realm}/{@code category}
   * (null: all); with {@code withStats}, each actor carries its stats and recent errors.
   */
  Future<JsonObject> actors(@Nullable String realm, @Nullable String category, boolean withStats);

  /**
   * Completes once this node's directory lists every one of {@code ids} ({@code present}) or none of them,
   * or after {@code timeoutMs}; the value is how many are still not as asked. Lets a deploy or stop complete
   * only when every node agrees, so a caller on any node can use what was just deployed.
   */
  Future<Integer> awaitDirectory(JsonArray ids, boolean present, long timeoutMs);

  /**
   * This node's log lines for {@code query} ({@code LogQuery} JSON, validated by the caller) in {@code realm}:
   * {@code {node, known, lines: [LogLine JSON], cursor, dropped}}; {@code known} says whether an actor query found its
   * actor (running or recently stopped) here, {@code cursor} is this node's line number to read on from.
   */
  Future<JsonObject> logs(String realm, JsonObject query);

  /**
   * Starts one instance of a deployment here: {@code {spec (ActorSpec JSON), deployment, instance, revision, leader,
   * view}}; completes with the actor's id. Idempotent: while an actor of the same deployment, instance and revision
   * runs or starts here, answers its id. Refused with 409 when {@code leader}/{@code view} (the sender's member-list
   * version) is not what this node sees, so a leader that lost its place never acts on a stale view.
   */
  Future<String> startInstance(JsonObject command);

  /**
   * Stops the listed actors without failing a request: {@code {ids, leader, view, quietMs, maxWaitMs}} (fenced like
   * {@link #startInstance}). Each leaves the directory at once and stops once it has answered what it holds.
   * Completes with how many were here.
   */
  Future<Integer> retire(JsonObject command);

  /** Refuses new actors and stops the local ones once their requests are answered. */
  Future<Void> drain();

  /** Answers, then drains and closes the node. */
  Future<Void> shutdown();

  static NodeService createProxy(Vertx vertx, String address, long timeoutMs) {
    return new NodeServiceVertxEBProxy(vertx, address, new DeliveryOptions().setSendTimeout(timeoutMs));
  }
}
