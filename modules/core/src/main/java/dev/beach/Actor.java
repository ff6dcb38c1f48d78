package dev.beach;

import dev.beach.spi.ActorRuntime;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Function;

/**
 * Base class of every actor. Register handlers by op in {@link #start()}; Beach delivers one request at a
 * time (or {@code concurrency} at a time) on the actor's own event-loop context, so handler code needs no locks.
 *
 * <pre>{@code
 * public class Counter extends Actor {
 *   private long count;
 *
 *   @Override
 *   public Future<?> start() {
 *     on("add", req -> req.reply(new JsonObject().put("count", count += req.json().getLong("n", 1L))));
 *     onFuture("double", req -> handle("math").request("mul", new JsonObject().put("a", count).put("b", 2)));
 *     return super.start();
 *   }
 * }
 * }</pre>
 */
public abstract class Actor extends VerticleBase {

  private ActorRuntime cell;

  private ActorRuntime cell() {
    if (cell == null) {
      throw new IllegalStateException("this actor is not deployed yet: register handlers in start(), not in the constructor");
    }
    return cell;
  }

  /** The actor's cluster-wide id. */
  public final String id() {
    return cell().id();
  }

  public final String realm() {
    return cell().realm();
  }

  public final List<String> categories() {
    return cell().categories();
  }

  /** The deployment parameters, private ({@code _}) keys included: only the actor itself sees those. */
  protected final JsonObject params() {
    return cell().params();
  }

  /** Handles requests of {@code op}; the handler answers with {@link Request#reply}/{@link Request#fail}. */
  protected final void on(String op, Handler<Request> handler) {
    cell().on(op, handler);
  }

  /** Handles requests of {@code op} with a function whose future's value (or failure) is the answer. */
  protected final void onFuture(String op, Function<Request, Future<?>> handler) {
    cell().on(op, req -> {
      Future<?> result = handler.apply(req);
      if (result == null) {
        req.reply(null);
      } else {
        result.onComplete(ar -> {
          if (ar.succeeded()) {
            req.reply(ar.result());
          } else {
            req.fail(ar.cause());
          }
        });
      }
    });
  }

  /** Stops handling {@code op}; later requests of it fail with 404. */
  protected final void off(String op) {
    cell().off(op);
  }

  /**
   * The client, to reach, deploy and stop actors of this actor's realm. Acting in another realm, flushing the
   * cluster or shutting a node down fails with 403 FORBIDDEN unless this realm is listed in the node setting
   * {@code node.trustedRealms}; see docs/SECURITY.md.
   */
  protected final Beach beach() {
    return cell().beach();
  }

  /** A handle on {@code category} in this actor's realm. */
  protected final ActorHandle handle(String category) {
    return cell().beach().handle(realm(), category);
  }

  /** A handle on {@code category} in {@code realm}; 403 FORBIDDEN for another realm unless this realm is trusted. */
  protected final ActorHandle handle(String realm, String category) {
    return cell().beach().handle(realm, category);
  }

  /** Runs {@code task} every {@code periodMs} on this actor's context; cancelled when the actor stops. */
  protected final long every(long periodMs, Handler<Long> task) {
    return vertx.setPeriodic(periodMs, task);
  }

  /** Runs {@code task} once after {@code delayMs} on this actor's context. */
  protected final long after(long delayMs, Handler<Long> task) {
    return vertx.setTimer(delayMs, task);
  }

  protected final boolean cancel(long timerId) {
    return vertx.cancelTimer(timerId);
  }

  /**
   * Stops this actor without an error. An actor kept running by a {@link Deployment} with restart {@code always} is
   * replaced (after a backoff); with {@code on-failure} or {@code never} it is not.
   */
  protected final void stopSelf() {
    cell().stopSelf(null);
  }

  /**
   * Stops this actor with {@code error} (a crash). An actor kept running by a {@link Deployment} is replaced after a
   * backoff unless its restart is {@code never}; too many crashes within the deployment's window fail the deployment
   * with this error as its last.
   */
  protected final void stopSelf(Throwable error) {
    cell().stopSelf(java.util.Objects.requireNonNull(error, "error"));
  }

  /** Processed, errors, pending, rate and mean latency so far. */
  public final ActorStats stats() {
    return cell().stats();
  }

  /** A logger whose lines carry realm, category, actor and node. */
  protected final ActorLogger log() {
    return cell().log();
  }

  /**
   * Registers handlers; override it (and return {@code super.start()} or a future of your own start-up work).
   * Declared without {@code throws Exception}, so overrides need not declare it either.
   */
  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }

  /** Releases what {@link #start()} acquired; timers and handlers are released by Beach. */
  @Override
  public Future<?> stop() {
    return Future.succeededFuture();
  }

  /**
   * Called when the node drains (shutdown, rolling restart): stop taking new work of your own making.
   * Requests already queued are still answered. The default does nothing.
   */
  protected Future<?> drain() {
    return Future.succeededFuture();
  }

  // The runtime's way in, package-private on purpose: the node (dev.beach.impl.hosting.ActorAccess) reaches these
  // through a private lookup, so nothing here widens the public API. Realm code cannot call them either: a class
  // of this package name in a realm has another class loader, hence another runtime package.

  static void bind(Actor actor, ActorRuntime runtime) {
    if (actor.cell != null) {
      throw new IllegalStateException("actor instance " + actor.getClass().getName() + " is already deployed; create a new one");
    }
    actor.cell = runtime;
  }

  static Future<?> drainOf(Actor actor) {
    return actor.drain();
  }

  static io.vertx.core.Context contextOf(Actor actor) {
    return actor.context;
  }
}
