package dev.beach.impl;

import dev.beach.ActorHandle;
import dev.beach.ActorInfo;
import dev.beach.ActorSpec;
import dev.beach.Beach;
import dev.beach.HandleOptions;
import dev.beach.NodeInfo;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The {@link Beach} handed to applications: every future completes on the caller's context. Control-plane
 * answers arrive on the node's or another actor's thread; an actor's continuation must still run on its own.
 */
final class CallerBoundBeach implements Beach {

  private final NodeRuntime node;
  private final BeachClient client;

  CallerBoundBeach(NodeRuntime node, BeachClient client) {
    this.node = node;
    this.client = client;
  }

  @Override
  public String nodeId() {
    return client.nodeId();
  }

  @Override
  public ActorHandle handle(String realm, String category) {
    return client.handle(realm, category);
  }

  @Override
  public ActorHandle handle(String realm, String category, HandleOptions options) {
    return client.handle(realm, category, options);
  }

  @Override
  public ActorHandle actor(String realm, String actorId) {
    return client.actor(realm, actorId);
  }

  @Override
  public Future<List<String>> deploy(ActorSpec spec) {
    return node.bound(client.deploy(spec));
  }

  @Override
  public Future<Void> stop(String actorId) {
    return node.bound(client.stop(actorId));
  }

  @Override
  public Future<Integer> stop(String realm, String category) {
    return node.bound(client.stop(realm, category));
  }

  @Override
  public Future<Integer> flush() {
    return node.bound(client.flush());
  }

  @Override
  public List<ActorInfo> directory(String realm, String category) {
    return client.directory(realm, category);
  }

  @Override
  public Future<List<ActorInfo>> actors(String realm, String category) {
    return node.bound(client.actors(realm, category));
  }

  @Override
  public List<String> realms() {
    return client.realms();
  }

  @Override
  public Future<List<NodeInfo>> nodes() {
    return node.bound(client.nodes());
  }

  @Override
  public Future<Void> shutdown(String nodeId) {
    return node.bound(client.shutdown(nodeId));
  }

  @Override
  public Future<Integer> restart(String realm, String category) {
    return node.bound(client.restart(realm, category));
  }

  @Override
  public Future<Void> pushCode(String realm, String file, Buffer content) {
    return node.bound(client.pushCode(realm, file, content));
  }

  @Override
  public Future<List<JsonObject>> codeFiles(String realm) {
    return node.bound(client.codeFiles(realm));
  }

  @Override
  public Future<Buffer> code(String realm, String file) {
    return node.bound(client.code(realm, file));
  }
}
