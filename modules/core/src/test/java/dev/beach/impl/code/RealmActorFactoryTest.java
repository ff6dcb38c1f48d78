package dev.beach.impl.code;

import dev.beach.Actor;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.beach.impl.code.Fixtures.actor;
import static dev.beach.impl.code.Fixtures.fails;
import static dev.beach.impl.code.Fixtures.who;
import static dev.beach.impl.code.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RealmActorFactoryTest {

  /** An actor on the test classpath: what realms without code (or without this class) fall back to. */
  public static class ClasspathActor extends Actor {
  }

  @TempDir
  Path tmp;
  private Path code;
  private RealmActorFactory factory;

  @BeforeEach
  void setUp() {
    code = tmp.resolve("code");
    factory = new RealmActorFactory(code);
  }

  @AfterEach
  void tearDown() {
    factory.close();
  }

  @Test
  void twoRealmsWithAClassOfTheSameNameAreIsolated() throws IOException {
    write(code.resolve("alpha"), "Echo.java", actor("demo", "Echo", "alpha"));
    write(code.resolve("beta"), "Echo.java", actor("demo", "Echo", "beta"));
    Actor a = factory.create("alpha", "demo.Echo");
    Actor b = factory.create("beta", "demo.Echo");
    assertEquals("alpha", who(a));
    assertEquals("beta", who(b));
    assertEquals("demo.Echo", a.getClass().getName());
    assertNotSame(a.getClass(), b.getClass());
    assertNotSame(a.getClass().getClassLoader(), b.getClass().getClassLoader());
    assertEquals("alpha", ((RealmClassLoader) a.getClass().getClassLoader()).realm());
    // The shared API is the node's own class in both realms.
    assertSame(Actor.class, a.getClass().getSuperclass());
    assertSame(Actor.class, b.getClass().getSuperclass());
  }

  @Test
  void prepareCompilesAheadSoTheFirstCreateFindsTheClassReady() throws IOException {
    write(code.resolve("alpha"), "Echo.java", actor("demo", "Echo", "alpha"));
    assertEquals(0, factory.generation("alpha"));
    factory.prepare("alpha", "demo.Echo");
    assertEquals(1, factory.generation("alpha"), "prepare compiled the realm");
    Actor a = factory.create("alpha", "demo.Echo");
    assertEquals("alpha", who(a));
    assertEquals(1, factory.generation("alpha"), "the create used what prepare compiled");
    // A class that is not there fails as its create would (the node ignores it; the start reports it).
    fails(ErrorCode.NOT_FOUND, () -> factory.prepare("alpha", "demo.Missing"));
  }

  @Test
  void aRealmCannotSeeAnotherRealmsClasses() throws IOException {
    write(code.resolve("alpha"), "Only.java", actor(null, "Only", "alpha"));
    write(code.resolve("beta"), "Other.java", actor(null, "Other", "beta"));
    factory.create("alpha", "Only");
    BeachException e = fails(ErrorCode.NOT_FOUND, () -> factory.create("beta", "Only"));
    assertEquals("class Only not found in realm 'beta'", e.getMessage());
    fails(ErrorCode.NOT_FOUND, () -> factory.create("global", "Only"));
  }

  @Test
  void aChangedSourceServesNewDeploymentsWhileEarlierActorsKeepTheirClass() throws IOException {
    Path file = write(code.resolve("hot"), "Echo.java", actor(null, "Echo", "v1"));
    Actor before = factory.create("hot", "Echo");
    assertEquals(1, factory.generation("hot"));
    assertSame(before.getClass(), factory.create("hot", "Echo").getClass(), "unchanged files keep the generation");

    Fixtures.rewrite(file, actor(null, "Echo", "v2"));
    Actor after = factory.create("hot", "Echo");
    assertEquals("v2", who(after));
    assertEquals("v1", who(before));
    assertNotSame(before.getClass(), after.getClass());
    assertEquals(2, factory.generation("hot"));
    assertEquals(1, ((RealmClassLoader) before.getClass().getClassLoader()).generation());
    assertEquals(2, ((RealmClassLoader) after.getClass().getClassLoader()).generation());
  }

  @Test
  void touchingAFileWithoutChangingItKeepsTheGeneration() throws IOException {
    Path file = write(code.resolve("hot"), "Echo.java", actor(null, "Echo", "v1"));
    Class<?> first = factory.create("hot", "Echo").getClass();
    Fixtures.rewrite(file, actor(null, "Echo", "v1"));
    assertSame(first, factory.create("hot", "Echo").getClass());
    assertEquals(1, factory.generation("hot"));
  }

  @Test
  void addedAndRemovedFilesAreSeenByTheNextDeployment() throws IOException {
    write(code.resolve("r"), "A.java", actor(null, "A", "a"));
    factory.create("r", "A");
    fails(ErrorCode.NOT_FOUND, () -> factory.create("r", "B"));
    Path b = write(code.resolve("r"), "B.java", actor(null, "B", "b"));
    assertEquals("b", who(factory.create("r", "B")));
    Files.delete(b);
    fails(ErrorCode.NOT_FOUND, () -> factory.create("r", "B"));
  }

  @Test
  void aSourceLinkedFromOutsideTheCodeDirectoryIsIgnored() throws IOException {
    Path outside = write(tmp.resolve("outside"), "Leak.java", actor(null, "Leak", "outside"));
    Files.createDirectories(code.resolve("r"));
    Files.createSymbolicLink(code.resolve("r/Leak.java"), outside);
    fails(ErrorCode.NOT_FOUND, () -> factory.create("r", "Leak"));
  }

  @Test
  void aCompileErrorIsA400WithFileAndLine() throws IOException {
    write(code.resolve("r"), "Broken.java", "public class Broken extends dev.beach.Actor {\n  int x = \"text\";\n}\n");
    write(code.resolve("r"), "Fine.java", actor(null, "Fine", "fine"));
    BeachException e = fails(ErrorCode.BAD_REQUEST, () -> factory.create("r", "Broken"));
    assertTrue(e.getMessage().startsWith("compile error in r/Broken.java: Broken.java:2: "), e.getMessage());
    assertTrue(e.details().getJsonArray("errors").getString(0).startsWith("Broken.java:2: "), e::toString);
    assertEquals("fine", who(factory.create("r", "Fine")), "one broken file does not stop the others");
  }

  @Test
  void aMissingClassIs404NamingRealmAndClass() throws IOException {
    write(code.resolve("r"), "Echo.java", actor("demo", "Echo", "x"));
    BeachException e = fails(ErrorCode.NOT_FOUND, () -> factory.create("r", "com.example.Nope"));
    assertEquals("class com.example.Nope not found in realm 'r'", e.getMessage());
    assertEquals("r", e.realm());
    BeachException hint = fails(ErrorCode.NOT_FOUND, () -> factory.create("r", "Echo"));
    assertTrue(hint.getMessage().contains("realm 'r'") && hint.getMessage().contains("demo.Echo"), hint.getMessage());
  }

  @Test
  void aClassThatIsNotAnActorIs400() throws IOException {
    write(code.resolve("r"), "Plain.java", "public class Plain {}\n");
    BeachException e = fails(ErrorCode.BAD_REQUEST, () -> factory.create("r", "Plain"));
    assertTrue(e.getMessage().contains("not an actor"), e.getMessage());
  }

  @Test
  void aConstructorThatThrowsIs500() throws IOException {
    write(code.resolve("r"), "Boom.java",
      "public class Boom extends dev.beach.Actor {\n  public Boom() { throw new IllegalStateException(\"boom\"); }\n}\n");
    BeachException e = fails(ErrorCode.ACTOR_FAILED, () -> factory.create("r", "Boom"));
    assertTrue(e.getMessage().contains("boom"), e.getMessage());
  }

  @Test
  void aRealmWithoutFolderRunsClasspathActors() {
    Actor actor = factory.create("global", ClasspathActor.class.getName());
    assertSame(ClasspathActor.class, actor.getClass());
    assertEquals(0, code.toFile().list() == null ? 0 : code.toFile().list().length, "nothing is written");
  }

  @Test
  void invalidRealmNamesAre400() {
    fails(ErrorCode.BAD_REQUEST, () -> factory.create("..", "Echo"));
    fails(ErrorCode.BAD_REQUEST, () -> factory.create("A B", "Echo"));
  }

  @Test
  void aJarRealmLoadsAndItsSourcesCompileAgainstIt() throws IOException {
    byte[] jar = Fixtures.jar(tmp, Map.of(
      "JarEcho.java", "package lib;\npublic class JarEcho extends dev.beach.Actor {\n  public static String who() { return \"jar\"; }\n}\n",
      "Greeting.java", "package lib;\npublic class Greeting {\n  public static String text() { return \"hello from the jar\"; }\n}\n"));
    Fixtures.writeBytes(code.resolve("jarred/lib.jar"), jar);
    write(code.resolve("jarred"), "UsesLib.java",
      "public class UsesLib extends dev.beach.Actor {\n  public static String who() { return lib.Greeting.text(); }\n}\n");
    assertEquals("jar", who(factory.create("jarred", "lib.JarEcho")));
    assertEquals("hello from the jar", who(factory.create("jarred", "UsesLib")));
    fails(ErrorCode.NOT_FOUND, () -> factory.create("global", "lib.JarEcho"));
  }

  @Test
  void anOverwrittenJarDoesNotChangeClassesOfAnEarlierGeneration() throws Exception {
    Path lib = code.resolve("r/lib.jar");
    Fixtures.writeBytes(lib, Fixtures.jar(tmp, Map.of("V.java", actor("lib", "V", "one"), "H.java", actor("lib", "H", "h-one"))));
    Actor one = factory.create("r", "lib.V");
    // Overwrite in place (same inode): the first generation reads its own copy, not this file.
    Fixtures.writeBytes(lib, Fixtures.jar(tmp, Map.of("V.java", actor("lib", "V", "two"),
      "H.java", actor("lib", "H", "h-two, a longer text that moves every later entry"), "W.java", actor("lib", "W", "w"))));
    assertEquals("two", who(factory.create("r", "lib.V")));
    assertEquals("one", who(one));
    Class<?> helper = one.getClass().getClassLoader().loadClass("lib.H");
    assertEquals("h-one", helper.getMethod("who").invoke(null), "a class first loaded after the change still comes from the old code");
    assertThrows(ClassNotFoundException.class, () -> one.getClass().getClassLoader().loadClass("lib.W"));
  }

  @Test
  void realmClassesComeFirstExceptForTheSharedApi() throws Exception {
    // A parent (the "node classpath") that has shared.Greeting saying "parent".
    byte[] parentJar = Fixtures.jar(tmp, Map.of("Greeting.java",
      "package shared;\npublic class Greeting {\n  public static String who() { return \"parent\"; }\n}\n"));
    Path parentJarFile = tmp.resolve("parent.jar");
    Fixtures.writeBytes(parentJarFile, parentJar);
    try (URLClassLoader parent = new URLClassLoader(new URL[]{parentJarFile.toUri().toURL()}, getClass().getClassLoader())) {
      RealmActorFactory custom = new RealmActorFactory(code, parent, new SourceCompiler());
      write(code.resolve("own"), "Greeting.java", "package shared;\npublic class Greeting {\n  public static String who() { return \"realm\"; }\n}\n");
      Class<?> own = custom.classLoader("own").loadClass("shared.Greeting");
      Class<?> fallback = custom.classLoader("plain").loadClass("shared.Greeting");
      assertEquals("realm", own.getMethod("who").invoke(null));
      assertEquals("parent", fallback.getMethod("who").invoke(null));
      assertSame(parent, fallback.getClassLoader());
      assertSame(Actor.class, custom.classLoader("own").loadClass(Actor.class.getName()));
      custom.close();
    }
  }

  @Test
  void aSourceCannotReplaceTheSharedApi() throws Exception {
    write(code.resolve("r"), "JsonObject.java", "package io.vertx.core.json;\npublic class JsonObject {}\n");
    assertSame(io.vertx.core.json.JsonObject.class, factory.classLoader("r").loadClass("io.vertx.core.json.JsonObject"));
  }

  @Test
  void concurrentDeploymentsShareOneGenerationAndOneCompilation() throws Exception {
    write(code.resolve("busy"), "Echo.java", actor(null, "Echo", "busy"));
    SourceCompiler compiler = new SourceCompiler();
    RealmActorFactory shared = new RealmActorFactory(code, getClass().getClassLoader(), compiler);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Actor>> created = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        created.add(pool.submit(() -> shared.create("busy", "Echo")));
      }
      Set<Class<?>> classes = new HashSet<>();
      for (Future<Actor> f : created) {
        classes.add(f.get(30, TimeUnit.SECONDS).getClass());
      }
      assertEquals(1, classes.size());
      assertEquals(1, shared.generation("busy"));
      assertEquals(1, compiler.compilations());
    } finally {
      pool.shutdownNow();
      shared.close();
    }
  }

  @Test
  void aClosedFactoryRefusesWork() {
    factory.close();
    assertThrows(IllegalStateException.class, () -> factory.create("global", ClasspathActor.class.getName()));
  }
}
