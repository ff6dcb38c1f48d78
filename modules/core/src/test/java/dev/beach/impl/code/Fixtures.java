package dev.beach.impl.code;

import dev.beach.Actor;
import dev.beach.BeachException;
import dev.beach.ErrorCode;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Realm sources and jars made at test time, built with the JDK's own tools (not the code under test). */
final class Fixtures {

  private Fixtures() {
  }

  /** An actor class with a static {@code who()} telling which copy of it was loaded. */
  static String actor(String pkg, String name, String who) {
    return (pkg == null ? "" : "package " + pkg + ";\n")
      + "public class " + name + " extends dev.beach.Actor {\n"
      + "  public static String who() { return \"" + who + "\"; }\n"
      + "}\n";
  }

  static Path write(Path dir, String name, String content) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * Rewrites a file and moves its time forward, so the change is visible even on a filesystem with coarse
   * timestamps (the factory's hashing is what is under test, not the clock).
   */
  static void rewrite(Path file, String content) throws IOException {
    FileTime before = Files.getLastModifiedTime(file);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2000));
  }

  /** A jar of {@code sources} (file name → text), compiled against the test classpath. */
  static byte[] jar(Path work, Map<String, String> sources) throws IOException {
    Path src = Files.createTempDirectory(work, "src");
    Path out = Files.createTempDirectory(work, "classes");
    List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-d", out.toString(),
      "-classpath", System.getProperty("java.class.path") + File.pathSeparator + codeSource(Actor.class)));
    for (Map.Entry<String, String> e : sources.entrySet()) {
      args.add(write(src, e.getKey(), e.getValue()).toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc = javac.run(null, null, errors, args.toArray(new String[0]));
    assertEquals(0, rc, errors.toString(StandardCharsets.UTF_8));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes); Stream<Path> files = Files.walk(out)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        jar.putNextEntry(new JarEntry(out.relativize(file).toString().replace(File.separatorChar, '/')));
        jar.write(Files.readAllBytes(file));
        jar.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  static void writeBytes(Path file, byte[] content) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(content);
    }
  }

  static String codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Calls the static {@code who()} of the actor's class: which copy of the code it runs. */
  static String who(Object actor) {
    try {
      return (String) actor.getClass().getMethod("who").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** Runs {@code action}, expects a {@link BeachException} of {@code code}, returns it. */
  static BeachException fails(ErrorCode code, Runnable action) {
    BeachException e = assertThrows(BeachException.class, action::run);
    assertEquals(code, e.code(), e::toString);
    return e;
  }
}
