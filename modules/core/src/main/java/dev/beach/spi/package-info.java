/**
 * Plug-in points of the node runtime: {@link dev.beach.spi.ActorFactory} decides where actor classes
 * come from.
 */
package dev.beach.spi;
