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

  /** Like {@link #directory} but read live from the hosting nodes, with each actor's {@link ActorStats}. */
  Future<List<ActorInfo>> actors(String realm, String category);

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
}
