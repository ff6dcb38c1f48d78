package dev.beach.impl.code;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.List;

/**
 * The class loader of one realm generation: the realm's compiled sources and jars as they were when the
 * generation was made. A changed file makes a new generation (a new loader) for new deployments; actors
 * already running keep the loader, and so the classes, they were created with.
 * <p>
 * Delegation:
 * <ul>
 *   <li>Parent-first for the JDK and the libraries actors share with the node ({@code dev.beach}, Vert.x,
 *   Netty, SLF4J, Jackson): an actor's {@code Actor}, {@code JsonObject} or {@code Future} must be the
 *   node's own class, or the runtime could not even cast it. A realm may still add classes in those
 *   packages that the node lacks (samples in {@code dev.beach.samples}), except under {@code java.}.</li>
 *   <li>Child-first for everything else: the realm's sources, then its jars, so a realm can carry its own
 *   version of a library the node also has.</li>
 *   <li>A class the realm does not define falls back to the parent, so actors and libraries on the node's
 *   classpath (built-in actors, realm {@code global} with no folder) load in every realm.</li>
 * </ul>
 * The parent is always the node's loader, never another realm's: realms cannot see each other's classes.
 */
public final class RealmClassLoader extends URLClassLoader {

  static {
    registerAsParallelCapable();
  }

  private static final List<String> PARENT_FIRST = List.of(
    "java.", "javax.", "jdk.", "sun.", "com.sun.", "dev.beach.", "io.vertx.", "io.netty.", "org.slf4j.",
    "com.fasterxml.jackson.");

  /** Bytecode compiled from the realm's sources, or {@code null} when no source declares the class. */
  @FunctionalInterface
  interface SourceClasses {
    byte[] find(String binaryName);
  }

  private final String realm;
  private final long generation;
  private final SourceClasses sources;
  private final ProtectionDomain sourceDomain;

  RealmClassLoader(String realm, long generation, Path realmDir, List<Path> jars, SourceClasses sources, ClassLoader parent) {
    super("realm-" + realm + "-g" + generation, urls(jars), parent);
    this.realm = realm;
    this.generation = generation;
    this.sources = sources;
    this.sourceDomain = new ProtectionDomain(new CodeSource(url(realmDir), (Certificate[]) null), null, this, null);
  }

  public String realm() {
    return realm;
  }

  /** Increases each time the realm's files change; the first loader of a realm is generation 1. */
  public long generation() {
    return generation;
  }

  /** Whether {@code name} is always taken from the node first (the shared API and the JDK). */
  public static boolean parentFirst(String name) {
    for (String prefix : PARENT_FIRST) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    synchronized (getClassLoadingLock(name)) {
      Class<?> type = findLoadedClass(name);
      if (type == null) {
        if (parentFirst(name)) {
          try {
            type = getParent().loadClass(name);
          } catch (ClassNotFoundException e) {
            type = name.startsWith("java.") ? null : findInRealm(name);
            if (type == null) {
              throw e;
            }
          }
        } else {
          type = findInRealm(name);
          if (type == null) {
            type = getParent().loadClass(name);
          }
        }
      }
      if (resolve) {
        resolveClass(type);
      }
      return type;
    }
  }

  @Override
  public URL getResource(String name) {
    if (parentFirst(name.replace('/', '.'))) {
      return super.getResource(name);
    }
    URL own = findResource(name);
    return own != null ? own : getParent().getResource(name);
  }

  /** The class from the realm's sources, else its jars, else {@code null}. */
  private Class<?> findInRealm(String name) {
    byte[] bytes = sources.find(name);
    if (bytes != null) {
      return defineClass(name, bytes, 0, bytes.length, sourceDomain);
    }
    try {
      return findClass(name);
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  private static URL[] urls(List<Path> jars) {
    URL[] urls = new URL[jars.size()];
    for (int i = 0; i < urls.length; i++) {
      urls[i] = url(jars.get(i));
    }
    return urls;
  }

  private static URL url(Path path) {
    try {
      return path.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("not a file path: " + path, e);
    }
  }

  @Override
  public String toString() {
    return "RealmClassLoader[realm=" + realm + ", generation=" + generation + "]";
  }
}
