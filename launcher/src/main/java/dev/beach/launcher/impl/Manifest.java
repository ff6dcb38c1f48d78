package dev.beach.launcher.impl;

import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import io.vertx.core.Future;
import org.slf4j.Logger;

import java.util.List;

/**
 * Applies the {@code deploy} list of a configuration once the node has joined. Each entry is deployed only when
 * no actor of its first category runs in its realm yet, so starting a second node with the same file (or the
 * embedded default) joins the cluster without duplicating the samples. A failing entry is reported and skipped:
 * the node stays up for the operator to fix the code and deploy again.
 */
final class Manifest {

  private Manifest() {
  }

  static Future<Void> apply(BeachNode node, List<ActorSpec> specs, Logger log) {
    Future<Void> chain = Future.succeededFuture();
    for (ActorSpec spec : specs) {
      chain = chain.compose(v -> applyOne(node, spec, log));
    }
    return chain;
  }

  private static Future<Void> applyOne(BeachNode node, ActorSpec spec, Logger log) {
    String what = spec.getRealm() + "/" + spec.getCategories().get(0) + " (" + spec.getClassName() + ")";
    // Asked of every node, not read from the directory cache: right after joining, the cache may not hold the
    // other nodes' actors yet, and a stale "none" here would deploy the samples twice.
    return node.beach().actors(spec.getRealm(), spec.getCategories().get(0))
      .compose(running -> {
        if (!running.isEmpty()) {
          log.info("deploy {}: already running in the cluster, left as is", what);
          return Future.succeededFuture();
        }
        return node.beach().deploy(spec).map(ids -> {
          log.info("deployed {} x {}", ids.size(), what);
          return (Void) null;
        });
      })
      .recover(err -> {
        log.warn("could not deploy {}: {}", what, err.getMessage());
        return Future.succeededFuture();
      });
  }
}
