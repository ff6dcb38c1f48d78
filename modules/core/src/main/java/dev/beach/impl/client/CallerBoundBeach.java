package dev.beach.impl.client;

import dev.beach.ActorHandle;
import dev.beach.ActorInfo;
import dev.beach.ActorListing;
import dev.beach.ActorSpec;
import dev.beach.Beach;
import dev.beach.Deployment;
import dev.beach.DeploymentStatus;
import dev.beach.HandleOptions;
import dev.beach.LogPage;
import dev.beach.LogQuery;
import dev.beach.NodeInfo;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The {@link Beach} handed to applications: every future completes on the caller's context. Control-plane
 * answers arrive on the node's or another actor's thread; an actor's continuation must still run on its own.
 */
public final class CallerBoundBeach implements Beach {

  private final VertxInternal vertx;
  private final BeachClient client;

  public CallerBoundBeach(VertxInternal vertx, BeachClient client) {
    this.vertx = vertx;
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
    return CallerContext.bound(vertx, client.deploy(spec));
  }

  @Override
  public Future<Void> stop(String actorId) {
    return CallerContext.bound(vertx, client.stop(actorId));
  }

  @Override
  public Future<Integer> stop(String realm, String category) {
    return CallerContext.bound(vertx, client.stop(realm, category));
  }

  @Override
  public Future<Integer> flush() {
    return CallerContext.bound(vertx, client.flush());
  }

  @Override
  public List<ActorInfo> directory(String realm, String category) {
    return client.directory(realm, category);
  }

  @Override
  public Future<List<ActorInfo>> actors(String realm, String category) {
    return CallerContext.bound(vertx, client.actors(realm, category));
  }

  @Override
  public List<String> realms() {
    return client.realms();
  }

  @Override
  public Future<List<NodeInfo>> nodes() {
    return CallerContext.bound(vertx, client.nodes());
  }

  @Override
  public Future<Void> shutdown(String nodeId) {
    return CallerContext.bound(vertx, client.shutdown(nodeId));
  }

  @Override
  public Future<Integer> restart(String realm, String category) {
    return CallerContext.bound(vertx, client.restart(realm, category));
  }

  @Override
  public Future<Void> pushCode(String realm, String file, Buffer content) {
    return CallerContext.bound(vertx, client.pushCode(realm, file, content));
  }

  @Override
  public Future<List<JsonObject>> codeFiles(String realm) {
    return CallerContext.bound(vertx, client.codeFiles(realm));
  }

  @Override
  public Future<Buffer> code(String realm, String file) {
    return CallerContext.bound(vertx, client.code(realm, file));
  }

  @Override
  public Future<LogPage> logs(String realm, LogQuery query) {
    return CallerContext.bound(vertx, client.logs(realm, query));
  }

  @Override
  public Future<DeploymentStatus> apply(Deployment deployment) {
    return CallerContext.bound(vertx, client.apply(deployment));
  }

  @Override
  public Future<List<DeploymentStatus>> deployments() {
    return CallerContext.bound(vertx, client.deployments());
  }

  @Override
  public Future<DeploymentStatus> deployment(String name) {
    return CallerContext.bound(vertx, client.deployment(name));
  }

  @Override
  public Future<Void> remove(String name) {
    return CallerContext.bound(vertx, client.remove(name));
  }

  @Override
  public Future<DeploymentStatus> scale(String name, int count) {
    return CallerContext.bound(vertx, client.scale(name, count));
  }

  @Override
  public Future<DeploymentStatus> restartDeployment(String name) {
    return CallerContext.bound(vertx, client.restartDeployment(name));
  }

  @Override
  public Future<Void> drain(String nodeId) {
    return CallerContext.bound(vertx, client.drain(nodeId));
  }

  @Override
  public Future<ActorListing> listActors(String realm, String category) {
    return CallerContext.bound(vertx, client.listActors(realm, category));
  }
}
