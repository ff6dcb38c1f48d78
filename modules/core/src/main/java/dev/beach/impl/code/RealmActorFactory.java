package dev.beach.impl.code;

import dev.beach.Actor;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.spi.ActorFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Actors from realm folders: {@code <codeDir>/<realm>/} holds jars and single-file {@code .java} sources
 * ({@code Echo.java} declares {@code Echo} or {@code some.pkg.Echo}).
 * <p>
 * Each {@link #create} rescans the realm folder (names, sizes, times; only changed files are hashed). When
 * the code changed, a new {@link RealmClassLoader} generation serves this and later deployments, while
 * actors created earlier keep the classes of their own generation until a restart replaces them. A realm
 * with no folder has an empty generation whose loader falls back to the node classpath, so realm
 * {@code global} runs classpath actors without any folder. Thread-safe; blocking (worker threads only).
 */
public final class RealmActorFactory implements ActorFactory {

  private static final Logger LOG = LoggerFactory.getLogger(RealmActorFactory.class);
  /** Deletes a dead generation's jar copies once no actor can reach its loader any more. */
  private static final Cleaner CLEANER = Cleaner.create();

  private final RealmFiles files;
  private final SourceCompiler compiler;
  private final ClassLoader parent;
  private final ConcurrentHashMap<String, Realm> realms = new ConcurrentHashMap<>();
  private final List<WeakReference<RealmGeneration>> generations = new ArrayList<>();
  private volatile Path snapshots;
  private volatile boolean closed;

  /** The current generation of one realm and how many it has had. */
  private static final class Realm {
    RealmGeneration current;
    long count;
  }

  public RealmActorFactory(Path codeDir) {
    this(codeDir, null);
  }

  /** With {@code baseDir}, a read-only folder of realm code beneath {@code codeDir} (or null: none). */
  public RealmActorFactory(Path codeDir, Path baseDir) {
    this(codeDir, baseDir, RealmActorFactory.class.getClassLoader(), new SourceCompiler());
  }

  /** With {@code parent} as every realm loader's parent (the node classpath) and a shared compiler. */
  public RealmActorFactory(Path codeDir, ClassLoader parent, SourceCompiler compiler) {
    this(codeDir, null, parent, compiler);
  }

  public RealmActorFactory(Path codeDir, Path baseDir, ClassLoader parent, SourceCompiler compiler) {
    this.files = new RealmFiles(new RealmPaths(codeDir), baseDir == null ? null : new RealmPaths(baseDir));
    this.parent = parent;
    this.compiler = compiler;
  }

  public Path codeDir() {
    return files.paths().codeDir();
  }

  @Override
  public Actor create(String realm, String className) {
    if (className == null || className.isBlank()) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "missing class name", realm, null, null, null, null, null);
    }
    RealmGeneration generation = current(realm);
    Constructor<? extends Actor> ctor = generation.constructor(className);
    // Constructors that use the context class loader (ServiceLoader, JSON mappers) must see the realm's classes.
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(generation.loader());
    try {
      return ctor.newInstance();
    } catch (InvocationTargetException | ExceptionInInitializerError e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new BeachException(ErrorCode.ACTOR_FAILED, "constructor of " + className + " in realm '" + realm + "' threw " + cause,
        realm, null, null, null, null, null);
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "cannot create " + className + " in realm '" + realm + "': " + e,
        realm, null, null, null, null, null);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** Compiles (if the realm's files changed) and loads the class, without constructing it. */
  @Override
  public void prepare(String realm, String className) {
    if (className != null && !className.isBlank()) {
      current(realm).constructor(className);
    }
  }

  /**
   * The realm's current generation number: 0 before its first use, then 1, 2, ... each time its files
   * changed. Rolling restarts can compare it with the generation an actor was created from.
   */
  public long generation(String realm) {
    Realm state = realms.get(realm);
    if (state == null) {
      return 0;
    }
    synchronized (state) {
      return state.current == null ? 0 : state.current.number();
    }
  }

  /** The loader serving new deployments of {@code realm}, after checking the folder for changes. */
  public RealmClassLoader classLoader(String realm) {
    return current(realm).loader();
  }

  private RealmGeneration current(String realm) {
    if (closed) {
      throw new IllegalStateException("realm actor factory is closed");
    }
    Path realmDir = files.paths().realmDir(realm);
    Realm state = realms.computeIfAbsent(realm, r -> new Realm());
    synchronized (state) {
      List<RealmFiles.CodeFile> scanned = files.scan(realm);
      if (state.current != null && state.current.fingerprint().equals(RealmGeneration.fingerprint(scanned))) {
        return state.current;
      }
      long number = ++state.count;
      Path snapshot = snapshotRoot().resolve(realm).resolve("g" + number);
      RealmGeneration generation = new RealmGeneration(realm, number, realmDir, scanned, snapshot, compiler, parent);
      CLEANER.register(generation.loader(), () -> deleteTree(snapshot));
      synchronized (generations) {
        generations.removeIf(ref -> ref.get() == null);
        generations.add(new WeakReference<>(generation));
      }
      if (state.current != null || !scanned.isEmpty()) {
        LOG.info("realm {}: code generation {} ({} source(s), {} jar(s))", realm, number, generation.sourceCount(), generation.jarCount());
      }
      state.current = generation;
      return generation;
    }
  }

  /** A private temporary folder for jar copies, made on first need and removed by {@link #close()}. */
  private Path snapshotRoot() {
    Path root = snapshots;
    if (root == null) {
      synchronized (this) {
        if (snapshots == null) {
          try {
            snapshots = Files.createTempDirectory("realm-code-");
          } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for realm jars", e);
          }
        }
        root = snapshots;
      }
    }
    return root;
  }

  @Override
  public void close() {
    closed = true;
    List<RealmGeneration> open = new ArrayList<>();
    synchronized (generations) {
      for (WeakReference<RealmGeneration> ref : generations) {
        RealmGeneration generation = ref.get();
        if (generation != null) {
          open.add(generation);
        }
      }
      generations.clear();
    }
    open.forEach(RealmGeneration::close);
    realms.clear();
    Path root = snapshots;
    if (root != null) {
      deleteTree(root);
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // Best effort: a leftover copy in the temp folder harms nothing.
        }
      });
    } catch (IOException e) {
      LOG.debug("cannot delete {}: {}", root, e.toString());
    }
  }
}
