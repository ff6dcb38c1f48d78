/**
 * The control plane each node serves ({@link dev.beach.impl.control.NodeServiceImpl}, behind the generated
 * {@link dev.beach.control.NodeService} proxy) and {@link dev.beach.impl.control.ControlPlane}, the way to any
 * node's. The service interface itself lives in {@code dev.beach.control}: codegen skips {@code .impl.} packages.
 */
package dev.beach.impl.control;
