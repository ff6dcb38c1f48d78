package dev.beach.impl.hosting;

import dev.beach.Actor;
import dev.beach.spi.ActorRuntime;
import io.vertx.core.Context;
import io.vertx.core.Future;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The runtime's access to {@link Actor}'s package-private hooks (bind the cell, run the drain hook, read the
 * context Vert.x gave it), through a private lookup: {@code Actor} keeps a public surface of its own methods only.
 */
final class ActorAccess {

  private static final MethodHandle BIND;
  private static final MethodHandle DRAIN;
  private static final MethodHandle CONTEXT;

  static {
    try {
      MethodHandles.Lookup actor = MethodHandles.privateLookupIn(Actor.class, MethodHandles.lookup());
      BIND = actor.findStatic(Actor.class, "bind", MethodType.methodType(void.class, Actor.class, ActorRuntime.class));
      DRAIN = actor.findStatic(Actor.class, "drainOf", MethodType.methodType(Future.class, Actor.class));
      CONTEXT = actor.findStatic(Actor.class, "contextOf", MethodType.methodType(Context.class, Actor.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private ActorAccess() {
  }

  /** Binds {@code actor} to its cell; fails if this instance was deployed before. */
  static void bind(Actor actor, ActorRuntime cell) {
    try {
      BIND.invokeExact(actor, cell);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** The actor's {@code drain()} hook. */
  static Future<?> drain(Actor actor) {
    try {
      return (Future<?>) DRAIN.invokeExact(actor);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** The context Vert.x deployed the actor on. */
  static Context context(Actor actor) {
    try {
      return (Context) CONTEXT.invokeExact(actor);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
