package dev.beach.spi;

import dev.beach.ActorLogger;
import dev.beach.ActorStats;
import dev.beach.Beach;
import dev.beach.Request;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The node's side of one deployed actor, as {@link dev.beach.Actor}'s protected methods use it: identity,
 * parameters, handlers, the client, the logger and the counters. Implemented by the runtime, one per actor, and
 * bound to the actor before Vert.x starts it; applications never implement or call it (they extend
 * {@code Actor}). It exists so that {@code Actor}, a public class, needs no implementation type.
 */
public interface ActorRuntime {

  String id();

  String realm();

  List<String> categories();

  /** The deployment parameters, private ({@code _}) keys included. */
  JsonObject params();

  /** The client handed to the actor. */
  Beach beach();

  ActorLogger log();

  /** Registers (or replaces) the handler of {@code op}. */
  void on(String op, Handler<Request> handler);

  void off(String op);

  ActorStats stats();

  /**
   * Stops the actor at its own request: {@code error} null for a clean exit, else a failure. A deployment that keeps
   * the actor running replaces it per its restart policy. The default refuses (a runtime that cannot).
   */
  default void stopSelf(Throwable error) {
    throw new UnsupportedOperationException("this runtime cannot stop an actor at its own request");
  }
}
