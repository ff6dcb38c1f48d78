package dev.beach.impl.code;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.beach.impl.code.Fixtures.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SourceCompilerTest {

  private final SourceCompiler compiler = new SourceCompiler();

  @Test
  void compilesEveryClassOfTheFileInMemory() {
    String source = "package demo;\n"
      + "import io.vertx.core.json.JsonObject;\n"
      + "public class Echo extends dev.beach.Actor {\n"
      + "  static class Inner {}\n"
      + "  JsonObject last = new JsonObject();\n"
      + "}\n"
      + "class Helper {}\n";
    Map<String, byte[]> classes = compiler.compile("global", "Echo.java", source, List.of());
    assertEquals(java.util.Set.of("demo.Echo", "demo.Echo$Inner", "demo.Helper"), classes.keySet());
    // Class files start with 0xCAFEBABE and carry major version 61 (Java 17), whatever JDK runs the test.
    byte[] echo = classes.get("demo.Echo");
    assertEquals((byte) 0xCA, echo[0]);
    assertEquals(61, echo[7]);
  }

  @Test
  void aCompileErrorNamesRealmFileAndLine() {
    String source = "public class Broken extends dev.beach.Actor {\n"
      + "  void f() {\n"
      + "    undefinedCall();\n"
      + "  }\n"
      + "}\n";
    BeachException e = fails(ErrorCode.BAD_REQUEST, () -> compiler.compile("demo", "Broken.java", source, List.of()));
    assertTrue(e.getMessage().startsWith("compile error in demo/Broken.java: Broken.java:3: "), e.getMessage());
    JsonArray errors = e.details().getJsonArray("errors");
    assertEquals(1, errors.size(), errors::encode);
    assertTrue(errors.getString(0).startsWith("Broken.java:3: cannot find symbol"), errors::encode);
    assertEquals("demo", e.realm());
  }

  @Test
  void aPublicClassMustLiveInItsOwnFile() {
    BeachException e = fails(ErrorCode.BAD_REQUEST,
      () -> compiler.compile("demo", "Wrong.java", Fixtures.actor(null, "Echo", "x"), List.of()));
    assertTrue(e.getMessage().contains("Wrong.java:1:"), e.getMessage());
  }

  @Test
  void anUnchangedSourceIsCompiledOnce() {
    String source = Fixtures.actor(null, "Once", "1");
    Map<String, byte[]> first = compiler.compile("global", "Once.java", source, List.of());
    Map<String, byte[]> second = compiler.compile("other", "Once.java", source, List.of());
    assertSame(first, second);
    assertEquals(1, compiler.compilations());
    compiler.compile("global", "Once.java", Fixtures.actor(null, "Once", "2"), List.of());
    assertEquals(2, compiler.compilations());
  }

  @Test
  void aBrokenSourceIsNotRecompiledEitherButFailsEveryTime() {
    String source = "public class Bad {";
    fails(ErrorCode.BAD_REQUEST, () -> compiler.compile("global", "Bad.java", source, List.of()));
    fails(ErrorCode.BAD_REQUEST, () -> compiler.compile("global", "Bad.java", source, List.of()));
    assertEquals(1, compiler.compilations());
  }

  @Test
  void withoutACompilerTheErrorSaysWhatToDo() {
    SourceCompiler jre = new SourceCompiler(null);
    BeachException e = fails(ErrorCode.BAD_REQUEST, () -> jre.compile("global", "Echo.java", Fixtures.actor(null, "Echo", "x"), List.of()));
    assertTrue(e.getMessage().contains("no Java compiler") && e.getMessage().contains("JDK"), e.getMessage());
  }

  @Test
  void theNodeClassPathHoldsBeachAndVertx() {
    String path = compiler.nodeClassPath().toString();
    assertTrue(compiler.nodeClassPath().stream().anyMatch(p -> p.toString().contains("vertx-core")), path);
    assertTrue(compiler.nodeClassPath().contains(java.nio.file.Path.of(Fixtures.codeSource(dev.beach.Actor.class))), path);
  }
}
