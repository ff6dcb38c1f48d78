package dev.beach.spi;

import dev.beach.Actor;

/**
 * Turns (realm, class name) into a new actor instance. The default loads classes from the classpath;
 * the launcher plugs in realm folders (jars and {@code .java} sources, one class loader per realm).
 * <p>
 * Implementations fail with {@link dev.beach.BeachException}: {@code NOT_FOUND} naming realm and class when
 * no such class exists, {@code BAD_REQUEST} when it is not an {@link Actor} or its source does not compile.
 * Called on a worker thread: it may compile or read files.
 */
@FunctionalInterface
public interface ActorFactory {

  Actor create(String realm, String className);

  /**
   * Does now what the first {@link #create} of this class would do before it can construct (compile, load, link),
   * without creating an actor, so that a later create is quick. Every node calls it for the classes of the cluster's
   * deployments: when a node dies, the actors the leader re-places elsewhere then start without waiting for a
   * compiler. A failure here is ignored (the create that follows reports it); the default does nothing.
   */
  default void prepare(String realm, String className) {
  }

  /** Called once when the node stops; release class loaders and caches. */
  default void close() {
  }
}
