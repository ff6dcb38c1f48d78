package dev.beach.impl.client;

import dev.beach.ActorHandle;
import dev.beach.ActorInfo;
import dev.beach.ActorListing;
import dev.beach.Deployment;
import dev.beach.DeploymentStatus;
import dev.beach.ActorSpec;
import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.HandleOptions;
import dev.beach.LogPage;
import dev.beach.LogQuery;
import dev.beach.NodeInfo;
import dev.beach.impl.directory.Directory;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The client an actor gets by default: it acts in the actor's own realm only. Reaching, deploying, stopping,
 * restarting, listing, reading or pushing code in another realm, flushing the cluster and shutting nodes down fail
 * with 403, naming {@code node.trustedRealms}, the node setting that gives a realm's actors the whole client. A
 * null realm in a listing or a restart means the own realm (the full client reads it as every realm). Node
 * statistics ({@link #nodes()}) stay visible. Deployments: only the realm's own (apply, list, read, remove, scale,
 * rollout restart); another realm's read as absent, and draining nodes is refused.
 * <p>
 * A guard against one realm's code acting on another by mistake or by a realm token's choice, not a sandbox:
 * realm code runs in the node's JVM with the node's rights (it can open the event bus itself), which is why
 * pushing code is admin-only.
 */
public final class RealmScopedBeach implements Beach {

  private final Beach client;
  private final Directory directory;
  private final String realm;

  /**
   * @param client    the node's full client
   * @param directory to learn the realm of an actor stopped by id
   * @param realm     the only realm this client acts in
   */
  public RealmScopedBeach(Beach client, Directory directory, String realm) {
    this.client = client;
    this.directory = directory;
    this.realm = realm;
  }

  @Override
  public String nodeId() {
    return client.nodeId();
  }

  @Override
  public ActorHandle handle(String realm, String category) {
    check(realm, "reach");
    return client.handle(realm, category);
  }

  @Override
  public ActorHandle handle(String realm, String category, HandleOptions options) {
    check(realm, "reach");
    return client.handle(realm, category, options);
  }

  @Override
  public ActorHandle actor(String realm, String actorId) {
    check(realm, "reach");
    return client.actor(realm, actorId);
  }

  @Override
  public Future<List<String>> deploy(ActorSpec spec) {
    if (spec != null && spec.getRealm() != null && !spec.getRealm().equals(realm)) {
      return Future.failedFuture(forbidden("deploy in realm '" + spec.getRealm() + "'"));
    }
    return client.deploy(spec);
  }

  @Override
  public Future<Void> stop(String actorId) {
    ActorInfo target = actorId == null ? null : directory.get(actorId);
    if (target != null && !target.realm().equals(realm)) {
      return Future.failedFuture(forbidden("stop actor " + actorId + " of realm '" + target.realm() + "'"));
    }
    return client.stop(actorId);
  }

  @Override
  public Future<Integer> stop(String realm, String category) {
    return allowed(realm) ? client.stop(realm, category) : Future.failedFuture(forbidden(realm, "stop"));
  }

  @Override
  public Future<Integer> flush() {
    return Future.failedFuture(forbidden("flush the cluster (stop the actors of every realm)"));
  }

  @Override
  public List<ActorInfo> directory(String realm, String category) {
    String r = realm == null ? this.realm : realm;
    check(r, "list actors");
    return client.directory(r, category);
  }

  @Override
  public Future<List<ActorInfo>> actors(String realm, String category) {
    String r = realm == null ? this.realm : realm;
    return allowed(r) ? client.actors(r, category) : Future.failedFuture(forbidden(r, "list actors"));
  }

  @Override
  public List<String> realms() {
    return client.realms().contains(realm) ? List.of(realm) : List.of();
  }

  @Override
  public Future<List<NodeInfo>> nodes() {
    return client.nodes();
  }

  @Override
  public Future<Void> shutdown(String nodeId) {
    return Future.failedFuture(forbidden("shut down node " + nodeId));
  }

  @Override
  public Future<Integer> restart(String realm, String category) {
    String r = realm == null ? this.realm : realm;
    return allowed(r) ? client.restart(r, category) : Future.failedFuture(forbidden(r, "restart"));
  }

  @Override
  public Future<Void> pushCode(String realm, String file, Buffer content) {
    return allowed(realm) ? client.pushCode(realm, file, content) : Future.failedFuture(forbidden(realm, "push code"));
  }

  @Override
  public Future<List<JsonObject>> codeFiles(String realm) {
    return allowed(realm) ? client.codeFiles(realm) : Future.failedFuture(forbidden(realm, "read code"));
  }

  @Override
  public Future<Buffer> code(String realm, String file) {
    return allowed(realm) ? client.code(realm, file) : Future.failedFuture(forbidden(realm, "read code"));
  }

  @Override
  public Future<LogPage> logs(String realm, LogQuery query) {
    return allowed(realm) ? client.logs(realm, query) : Future.failedFuture(forbidden(realm, "read logs"));
  }

  @Override
  public Future<ActorListing> listActors(String realm, String category) {
    String r = realm == null ? this.realm : realm;
    return allowed(r) ? client.listActors(r, category) : Future.failedFuture(forbidden(r, "list actors"));
  }

  // Deployments: names are cluster-wide, so those of other realms are not this client's to see, change or even learn
  // of. Another realm's deployment reads as absent (404), as it does for a realm token over HTTP.

  @Override
  public Future<DeploymentStatus> apply(Deployment deployment) {
    if (deployment == null || deployment.getRealm() == null || !deployment.getRealm().equals(realm)) {
      return Future.failedFuture(forbidden("apply a deployment of realm '"
        + (deployment == null ? null : deployment.getRealm()) + "'"));
    }
    // Taking over another realm's name is refused as if the name were free of this realm's but not free at all.
    return client.deployment(deployment.getName()).transform(ar -> {
      if (ar.succeeded() && !realm.equals(realmOf(ar.result()))) {
        return Future.failedFuture(new BeachException(ErrorCode.CONFLICT, "the deployment name '"
          + deployment.getName() + "' is taken: choose another", realm, null, null, client.nodeId(), null, null));
      }
      return client.apply(deployment);
    });
  }

  @Override
  public Future<List<DeploymentStatus>> deployments() {
    return client.deployments().map(all -> all.stream().filter(s -> realm.equals(realmOf(s)))
      .collect(java.util.stream.Collectors.toList()));
  }

  @Override
  public Future<DeploymentStatus> deployment(String name) {
    return client.deployment(name).compose(s -> realm.equals(realmOf(s)) ? Future.succeededFuture(s)
      : Future.failedFuture(new BeachException(ErrorCode.NOT_FOUND, "no deployment " + name + " in realm '" + realm + "'",
        realm, null, null, client.nodeId(), null, null)));
  }

  @Override
  public Future<Void> remove(String name) {
    return deployment(name).compose(s -> client.remove(name));
  }

  @Override
  public Future<DeploymentStatus> scale(String name, int count) {
    return deployment(name).compose(s -> client.scale(name, count));
  }

  @Override
  public Future<DeploymentStatus> restartDeployment(String name) {
    return deployment(name).compose(s -> client.restartDeployment(name));
  }

  @Override
  public Future<Void> drain(String nodeId) {
    return Future.failedFuture(forbidden("drain node " + nodeId));
  }

  private static String realmOf(DeploymentStatus s) {
    return s.deployment() == null ? null : s.deployment().getString("realm");
  }

  private boolean allowed(String other) {
    // A missing realm is left to the full client, which answers 400 naming the rule.
    return other == null || other.equals(realm);
  }

  private void check(String other, String what) {
    if (!allowed(other)) {
      throw forbidden(other, what);
    }
  }

  private BeachException forbidden(String other, String what) {
    return forbidden(what + " in realm '" + other + "'");
  }

  private BeachException forbidden(String what) {
    return new BeachException(ErrorCode.FORBIDDEN, "an actor of realm '" + realm + "' may not " + what
      + ": actors act in their own realm only, unless their realm is listed in node.trustedRealms (on every node)",
      realm, null, null, client.nodeId(), null, null);
  }
}
