package dev.beach.impl.code;

import dev.beach.Actor;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.impl.hosting.ClasspathActorFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One immutable snapshot of a realm's code: the sources' text and private copies of the jars, read when the
 * generation was made, plus the class loader over them. Later edits to the folder never reach it, so actors
 * created from it keep consistent classes (a jar overwritten in place would otherwise corrupt classes its
 * loader reads lazily). Sources compile on first use, so one broken file does not stop the others.
 */
final class RealmGeneration {

  private final String realm;
  private final long number;
  private final String fingerprint;
  private final Map<String, String> sources;
  private final List<Path> jars;
  private final SourceCompiler compiler;
  private final RealmClassLoader loader;
  private final Map<String, byte[]> compiled = new ConcurrentHashMap<>();
  private final Set<String> compiledFiles = ConcurrentHashMap.newKeySet();
  private final Map<String, Constructor<? extends Actor>> constructors = new ConcurrentHashMap<>();

  /**
   * @param files       the realm's files as scanned; the fingerprint is their names and hashes
   * @param snapshotDir where this generation's jar copies go (created only when the realm has jars)
   */
  RealmGeneration(String realm, long number, Path realmDir, List<RealmFiles.CodeFile> files, Path snapshotDir,
                  SourceCompiler compiler, ClassLoader parent) {
    this.realm = realm;
    this.number = number;
    this.fingerprint = fingerprint(files);
    this.compiler = compiler;
    Map<String, String> texts = new TreeMap<>();
    List<Path> copies = new ArrayList<>();
    try {
      for (RealmFiles.CodeFile file : files) {
        if (file.name().endsWith(".java")) {
          texts.put(file.name(), new String(Files.readAllBytes(file.path()), StandardCharsets.UTF_8));
        } else {
          Files.createDirectories(snapshotDir);
          Path copy = snapshotDir.resolve(file.name());
          // COPY_ATTRIBUTES keeps the modification time, which the compile cache keys jars by.
          Files.copy(file.path(), copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
          copies.add(copy);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the code of realm '" + realm + "'", e);
    }
    this.sources = texts;
    this.jars = List.copyOf(copies);
    this.loader = new RealmClassLoader(realm, number, realmDir, jars, this::find, parent);
  }

  /** Names and hashes of the files, sorted: equal fingerprints mean equal code. */
  static String fingerprint(List<RealmFiles.CodeFile> files) {
    StringBuilder out = new StringBuilder();
    for (RealmFiles.CodeFile file : files) {
      out.append(file.name()).append('=').append(file.sha256()).append('\n');
    }
    return out.toString();
  }

  String fingerprint() {
    return fingerprint;
  }

  long number() {
    return number;
  }

  RealmClassLoader loader() {
    return loader;
  }

  int sourceCount() {
    return sources.size();
  }

  int jarCount() {
    return jars.size();
  }

  /**
   * The no-argument constructor of {@code className}, compiling its source first so that a compile error is
   * reported as such (400 with file and line) rather than as a missing class.
   */
  Constructor<? extends Actor> constructor(String className) {
    Constructor<? extends Actor> known = constructors.get(className);
    if (known != null) {
      return known;
    }
    String file = sourceFileOf(className);
    if (sources.containsKey(file)) {
      compile(file);
    }
    Constructor<? extends Actor> ctor;
    try {
      ctor = ClasspathActorFactory.constructorOf(realm, className, loader);
    } catch (BeachException e) {
      throw e.code() == ErrorCode.NOT_FOUND ? withHint(e, className) : e;
    } catch (LinkageError e) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "class " + className + " in realm '" + realm + "' cannot be linked: " + e,
        realm, null, null, null, null, null);
    }
    constructors.put(className, ctor);
    return ctor;
  }

  /** The loader's view of the sources: bytecode of {@code binaryName}, compiling the file that should hold it. */
  private byte[] find(String binaryName) {
    byte[] bytes = compiled.get(binaryName);
    if (bytes != null) {
      return bytes;
    }
    String file = sourceFileOf(binaryName);
    if (sources.containsKey(file) && !compiledFiles.contains(file)) {
      compileQuietly(file);
      return compiled.get(binaryName);
    }
    return null;
  }

  /** Compiles one source of this generation (once) and records its classes; compile errors are thrown. */
  private synchronized void compile(String file) {
    if (compiledFiles.contains(file)) {
      return;
    }
    Map<String, byte[]> classes = compiler.compile(realm, file, sources.get(file), jars);
    compiled.putAll(classes);
    compiledFiles.add(file);
  }

  private void compileQuietly(String file) {
    try {
      compile(file);
    } catch (BeachException e) {
      // A class wanted while loading another: the deploy that needs it gets NoClassDefFoundError, and a
      // deploy of this file's own class reports the compile error.
    }
  }

  /** {@code pkg.Echo$Inner} → {@code Echo.java}: single-file sources are named after their top-level class. */
  static String sourceFileOf(String binaryName) {
    String simple = binaryName.substring(binaryName.lastIndexOf('.') + 1);
    int nested = simple.indexOf('$');
    return (nested > 0 ? simple.substring(0, nested) : simple) + ".java";
  }

  /** "class Echo not found" when the realm has {@code pkg.Echo}: name the full class, the usual slip. */
  private BeachException withHint(BeachException e, String className) {
    String simple = className.substring(className.lastIndexOf('.') + 1);
    for (String name : compiled.keySet()) {
      if (!name.equals(className) && name.endsWith("." + simple)) {
        return new BeachException(ErrorCode.NOT_FOUND, e.getMessage() + " (the realm has " + name + ")",
          realm, null, null, null, null, e.details());
      }
    }
    return e;
  }

  /** Closes the loader: only when the factory closes, as running actors may still load classes through it. */
  void close() {
    try {
      loader.close();
    } catch (IOException e) {
      // Jar handles are released by their cleaners if closing fails; nothing else holds resources.
    }
  }
}
