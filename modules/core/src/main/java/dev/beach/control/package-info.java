/**
 * The control plane (internal protocol between nodes, not for applications): {@link dev.beach.control.NodeService}, a vertx-service-proxy served at each node's
 * address ({@code beach._node.<id>}). Proxy and handler classes are generated at build time.
 * <p>
 * It lives outside {@code dev.beach.impl} only because Vert.x codegen skips every package whose name contains
 * {@code .impl}; applications use {@link dev.beach.Beach}, never this service.
 */
@ModuleGen(name = "beach-control", groupPackage = "dev.beach")
package dev.beach.control;

import io.vertx.codegen.annotations.ModuleGen;
