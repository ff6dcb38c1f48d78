/**
 * Realm code: {@code <codeDir>/<realm>/} folders of jars and single-file {@code .java} actor sources.
 * <ul>
 *   <li>{@link dev.beach.impl.code.RealmPaths} turns names into paths, refusing anything that could leave the code directory;</li>
 *   <li>{@link dev.beach.impl.code.SourceCompiler} compiles sources in memory, cached by content hash;</li>
 *   <li>{@link dev.beach.impl.code.RealmClassLoader} is one realm generation's class loader (shared API parent-first, the rest child-first);</li>
 *   <li>{@link dev.beach.impl.code.RealmActorFactory} plugs realm folders into the node as its {@link dev.beach.spi.ActorFactory},
 *   making a new generation whenever the files change;</li>
 *   <li>{@link dev.beach.impl.code.CodeStore} replicates pushed files to every node's folder through the cluster.</li>
 * </ul>
 */
package dev.beach.impl.code;
