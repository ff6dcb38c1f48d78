package dev.beach.impl.trace;

import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;

/**
 * Loaded by Vert.x through {@code META-INF/services/io.vertx.core.spi.VertxServiceProvider} while an instance boots,
 * before it sizes its contexts' local storage: loading {@link TraceContexts} registers its slot in time.
 */
public final class TraceContextsLoader implements VertxServiceProvider {

  static {
    TraceContexts.held(null);
  }

  @Override
  public void init(VertxBootstrap bootstrap) {
    // Nothing to configure: the static initializer did the work.
  }
}
