package dev.beach;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The Beach client: deploy, find and stop actors, reach categories, see nodes. Obtained from a
 * {@link BeachNode} (outside actors: the whole cluster) or {@link Actor#beach()} (inside: the actor's own realm,
 * unless the node lists that realm in {@code node.trustedRealms}).
 */
public interface Beach {

  /** The id of the node this client runs on. */
  String nodeId();

  /** A handle on {@code realm}/{@code category} with default options. */
  ActorHandle handle(String realm, String category);

  ActorHandle handle(String realm, String category, HandleOptions options);

  /** A handle on exactly one actor. Requests to an actor that is gone fail with 404. */
  ActorHandle actor(String realm, String actorId);

  /**
   * Places and starts the actors of {@code spec}. Completes with their ids once every one is running and
   * listed; on any failure the ones already started are stopped again and the failure is returned.
   */
  Future<List<String>> deploy(ActorSpec spec);

  /** Stops one actor; 404 when no node hosts it. */
  Future<Void> stop(String actorId);

  /** Stops every actor reached by {@code realm}/{@code category}; completes with how many stopped. */
  Future<Integer> stop(String realm, String category);

  /** Stops every actor of the cluster (py-beach's flush); completes with how many stopped. */
  Future<Integer> flush();

  /**
   * The directory cache: actors reached by {@code category} in {@code realm} (null realm: every realm,
   * null category: the whole realm). No stats; cheap.
   */
  List<ActorInfo> directory(String realm, String category);

  /**
   * Like {@link #directory} but read live from the hosting nodes, with each actor's {@link ActorStats}. Answers
   * within a short bound with what the nodes that answered said ({@link #listActors} also says which did not).
   */
  Future<List<ActorInfo>> actors(String realm, String category);

  /**
   * Like {@link #actors} but says which nodes did not answer: each node gets a short bound ({@code
   * BeachClient.LISTING_TIMEOUT_MS}, 2 s), and the listing holds what the others said. The default lists through
   * {@link #actors} and reports nothing missing.
   */
  default Future<ActorListing> listActors(String realm, String category) {
    return actors(realm, category).map(list -> new ActorListing(list, List.of()));
  }

  /** The realms that have actors now. */
  List<String> realms();

  /** Every live node with its latest statistics. */
  Future<List<NodeInfo>> nodes();

  /** Drains and stops a node ({@code beach shutdown --node}). */
  Future<Void> shutdown(String nodeId);

  /**
   * Rolls the actors reached by {@code realm}/{@code category} one at a time: start a replacement with the
   * realm's current code, then stop the old one, so the category never goes empty. Completes with how many
   * were replaced.
   */
  Future<Integer> restart(String realm, String category);

  /**
   * Stores a code file ({@code *.jar} or {@code *.java}) in a realm and replicates it to every node, so a
   * shared filesystem is optional. New deployments use it; running actors keep their code until {@link #restart}.
   */
  Future<Void> pushCode(String realm, String file, Buffer content);

  /** The realm's code files: {@code [{file, size, sha256, modifiedAt}]}. */
  Future<List<JsonObject>> codeFiles(String realm);

  /** One code file's content; 404 when the realm has no such file. */
  Future<Buffer> code(String realm, String file);

  /**
   * Log lines of one actor or of every actor a category reaches ({@link LogQuery}), merged from every node that
   * holds some, oldest first. Each node keeps {@code node.logLines} per actor and the lines of its last stopped
   * actors. An actor no node knows in the realm fails with 404. Read on with the page's cursor to follow.
   */
  Future<LogPage> logs(String realm, LogQuery query);

  // ------------------------------------------------------------------ desired state
  // Default methods fail: a Beach that does not manage deployments (a wrapper that does not pass them on) says so.

  /**
   * Stores {@code deployment} in the cluster (a new one, or a new version of one: its actors roll when what they run
   * changed) and returns at once; the leader then places, replaces and stops actors to match it. Applying a failed
   * deployment again retries it. Completes with its status now (usually {@code progressing}).
   */
  default Future<DeploymentStatus> apply(Deployment deployment) {
    return BeachException.fail(ErrorCode.NOT_FOUND, "this client does not manage deployments");
  }

  /** Every deployment with its status: desired against actual, per node, state, restarts, last error. */
  default Future<List<DeploymentStatus>> deployments() {
    return BeachException.fail(ErrorCode.NOT_FOUND, "this client does not manage deployments");
  }

  /** One deployment's status; 404 when there is none of that name. */
  default Future<DeploymentStatus> deployment(String name) {
    return BeachException.fail(ErrorCode.NOT_FOUND, "this client does not manage deployments");
  }

  /**
   * Removes a deployment and stops its actors; completes once they are gone (bounded at a few seconds). 404 when
   * there is none of that name.
   */
  default Future<Void> remove(String name) {
    return BeachException.fail(ErrorCode.NOT_FOUND, "this client does not manage deployments");
  }

  /** Sets a deployment's count ({@code instances}, or {@code perNode} for a per-node one); 404 when there is none. */
  default Future<DeploymentStatus> scale(String name, int count) {
    return BeachException.fail(ErrorCode.NOT_FOUND, "this client does not manage deployments");
  }

  /**
   * A rollout restart of one deployment: bumps its restart revision (kept in the record), so the leader replaces its
   * actors, and only its (another deployment sharing a category is left alone), onto the realm's current code, make
   * before break: a replacement runs before each old actor stops, a quarter of the instances (at least one) at a
   * time. Returns at once with the status (usually {@code progressing}); 404 when there is none of that name.
   */
  default Future<DeploymentStatus> restartDeployment(String name) {
    return BeachException.fail(ErrorCode.NOT_FOUND, "this client does not manage deployments");
  }

  /**
   * Drains a node without stopping it: it takes no new actors, its supervised actors are started elsewhere before
   * they stop there (no request fails for them), then its other actors stop once their requests are answered.
   * {@link #shutdown} drains the same way first.
   */
  default Future<Void> drain(String nodeId) {
    return BeachException.fail(ErrorCode.NOT_FOUND, "this client cannot drain nodes");
  }
}
