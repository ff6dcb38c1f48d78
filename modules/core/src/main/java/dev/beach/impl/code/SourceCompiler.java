package dev.beach.impl.code;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Compiles single-file {@code .java} actor sources in memory with {@code javax.tools}: nothing is written
 * to disk, and the result (classes or errors) is cached by the SHA-256 of the file name, the source and the
 * realm's jar set, so deploying from an unchanged file costs a hash.
 * <p>
 * Sources compile against the node's own classpath (Beach, Vert.x, Netty, Jackson, SLF4J) plus the realm's
 * jars, with {@code --release 17}: a source that compiles on one node compiles on every node of a cluster
 * whatever JDK each runs, and never uses an API the project's baseline lacks. Annotation processing is off:
 * processors found on the node classpath (code generators) must not run on realm code.
 * Thread-safe.
 */
public final class SourceCompiler {

  /** Java language level of realm sources (the project's baseline). */
  public static final String RELEASE = "17";

  /**
   * Classes whose jars (or folders) join the compile classpath even when {@code java.class.path} does not
   * name them: inside a shaded jar, a surefire booter jar or a custom launcher the property is not the
   * whole story, but these classes' code sources are where realm code's imports live.
   */
  private static final List<String> MARKER_CLASSES = List.of(
    "dev.beach.Actor", "io.vertx.core.Vertx", "io.netty.buffer.ByteBuf", "io.netty.util.concurrent.Future",
    "io.netty.channel.Channel", "com.fasterxml.jackson.core.JsonFactory", "org.slf4j.Logger");
  private static final int CACHE_ENTRIES = 256;

  private final JavaCompiler compiler;
  private final List<Path> nodeClassPath;
  private final AtomicLong compilations = new AtomicLong();
  private final Map<String, Result> cache = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Result> eldest) {
      return size() > CACHE_ENTRIES;
    }
  });

  /** What one compilation produced: classes by binary name, or the error lines. */
  private record Result(Map<String, byte[]> classes, List<String> errors) {
  }

  public SourceCompiler() {
    this(ToolProvider.getSystemJavaCompiler());
  }

  /** With {@code compiler} null, as in a JRE: every compilation fails with a message saying so. */
  SourceCompiler(JavaCompiler compiler) {
    this.compiler = compiler;
    this.nodeClassPath = findNodeClassPath();
  }

  /**
   * Compiles {@code source}, the content of {@code <realm>/<file>}, against the node classpath and {@code jars}.
   *
   * @return bytecode of every class the file declares (nested, local and auxiliary ones too), by binary name
   * @throws BeachException {@code BAD_REQUEST} "compile error in realm/file: ..." with details
   *                        {@code errors: ["File.java:12: message", ...]}, or when this JVM has no compiler
   */
  public Map<String, byte[]> compile(String realm, String file, String source, List<Path> jars) {
    String key = cacheKey(file, source, jars);
    Result result = cache.get(key);
    if (result == null) {
      result = doCompile(realm, file, source, jars);
      cache.put(key, result);
    }
    if (!result.errors().isEmpty()) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "compile error in " + realm + "/" + file + ": " + result.errors().get(0),
        realm, null, null, null, null,
        new JsonObject().put("file", realm + "/" + file).put("errors", new JsonArray(new ArrayList<>(result.errors()))));
    }
    return result.classes();
  }

  /** How many sources were actually handed to javac (cache misses), for tests and diagnostics. */
  long compilations() {
    return compilations.get();
  }

  /** The classpath realm sources compile against, before the realm's own jars. */
  List<Path> nodeClassPath() {
    return nodeClassPath;
  }

  private static List<Path> findNodeClassPath() {
    Set<Path> entries = new LinkedHashSet<>();
    String property = System.getProperty("java.class.path", "");
    for (String entry : property.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        entries.add(Path.of(entry).toAbsolutePath().normalize());
      }
    }
    ClassLoader own = SourceCompiler.class.getClassLoader();
    for (String name : MARKER_CLASSES) {
      try {
        CodeSource source = Class.forName(name, false, own).getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null && "file".equals(source.getLocation().getProtocol())) {
          entries.add(Path.of(source.getLocation().toURI()).toAbsolutePath().normalize());
        }
      } catch (ClassNotFoundException | LinkageError | URISyntaxException | IllegalArgumentException | SecurityException e) {
        // Optional libraries (Jackson) may be absent and odd code sources (nested jars) unusable: skip them.
      }
    }
    entries.removeIf(p -> !Files.exists(p));
    return List.copyOf(entries);
  }

  private Result doCompile(String realm, String file, String source, List<Path> jars) {
    if (compiler == null) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "cannot compile " + realm + "/" + file
        + ": this JVM has no Java compiler (it is a JRE, not a JDK); run the node on a JDK or ship the realm as a .jar");
    }
    compilations.incrementAndGet();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<Path> classPath = new ArrayList<>(nodeClassPath);
    classPath.addAll(jars);
    try (StandardJavaFileManager standard = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
         MemoryFileManager memory = new MemoryFileManager(standard)) {
      standard.setLocationFromPaths(StandardLocation.CLASS_PATH, classPath);
      List<String> options = List.of("--release", RELEASE, "-proc:none", "-g", "-nowarn");
      JavaCompiler.CompilationTask task = compiler.getTask(null, memory, diagnostics, options, null,
        List.of(MemoryFileManager.source(file, source)));
      boolean ok = task.call();
      List<String> errors = diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .map(d -> errorLine(file, d))
        .collect(Collectors.toList());
      if (!ok && errors.isEmpty()) {
        errors.add(file + ": the compiler failed without a message");
      }
      return ok && errors.isEmpty() ? new Result(memory.classes(), List.of()) : new Result(Map.of(), List.copyOf(errors));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot compile " + realm + "/" + file, e);
    }
  }

  /** {@code File.java:12: cannot find symbol; symbol: class Foo} (javac's multi-line messages on one line). */
  private static String errorLine(String file, Diagnostic<? extends JavaFileObject> d) {
    String message = d.getMessage(Locale.ROOT).lines().map(String::strip).filter(s -> !s.isEmpty())
      .collect(Collectors.joining("; "));
    if (d.getSource() == null) {
      return file + ": " + message;
    }
    return file + ":" + d.getLineNumber() + ": " + message;
  }

  /**
   * SHA-256 over the file name, the source and each jar's name, size and modification time. Jars are keyed
   * by name rather than path because each class loader generation reads its own copy of them.
   */
  private static String cacheKey(String file, String source, List<Path> jars) {
    MessageDigest digest = RealmFiles.digest();
    digest.update(file.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
    digest.update(source.getBytes(StandardCharsets.UTF_8));
    for (Path jar : jars) {
      String stamp;
      try {
        BasicFileAttributes attrs = Files.readAttributes(jar, BasicFileAttributes.class);
        stamp = jar.getFileName() + ":" + attrs.size() + ":" + attrs.lastModifiedTime().toMillis();
      } catch (IOException e) {
        stamp = jar.getFileName() + ":missing";
      }
      digest.update((byte) 0);
      digest.update(stamp.getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
