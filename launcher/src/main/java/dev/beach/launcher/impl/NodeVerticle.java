package dev.beach.launcher.impl;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The launcher's main verticle: finishes start-up (gateway, readiness, banner) once the node runs, and closes
 * them when Vert.x undeploys it. The node itself is started outside this verticle (see
 * {@link NodeApplication#afterVertxStarted}) so actors never become this verticle's children.
 */
final class NodeVerticle extends VerticleBase {

  private final NodeApplication app;

  NodeVerticle(NodeApplication app) {
    this.app = app;
  }

  @Override
  public Future<?> start() {
    return app.startServices(context);
  }

  @Override
  public Future<?> stop() {
    return app.closeNode();
  }
}
