package dev.beach.launcher.impl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleRealmsTest {

  @TempDir
  Path dir;

  @Test
  void extractionCopiesTheSamplesAndKeepsUserEdits() throws Exception {
    Path realms = dir.resolve("realms");
    Files.createDirectories(realms.resolve("global"));
    Files.writeString(realms.resolve("global/Echo.java"), "// edited by the user");

    List<Path> copied = SampleRealms.extract(realms);

    assertTrue(Files.isRegularFile(realms.resolve("global/Counter.java")));
    assertTrue(Files.isRegularFile(realms.resolve("global/Sleeper.java")));
    assertTrue(copied.contains(realms.resolve("global/Counter.java")));
    assertEquals("// edited by the user", Files.readString(realms.resolve("global/Echo.java")));
    assertTrue(SampleRealms.extract(realms).isEmpty(), "a second extraction copies nothing");
  }

  @Test
  void beachHomeComesFromTheEnvironment() {
    assertEquals(dir.resolve("realms"), SampleRealms.beachHome(Map.of("BEACH_HOME", dir.toString())).resolve("realms"));
    assertEquals(Path.of(System.getProperty("user.home"), ".beach"), SampleRealms.beachHome(Map.of()));
  }

  @Test
  void theRepositorySamplesAreFoundFromACheckout() {
    Path samples = SampleRealms.repositorySamples();
    assertNotNull(samples, "tests run inside the repository");
    assertTrue(Files.isRegularFile(samples.resolve("global/Echo.java")));
  }

  /** The .java samples are compiled by nodes at deploy time; compiling them here keeps them from rotting. */
  @Test
  void sampleSourcesCompileAgainstTheActorApi() throws Exception {
    Path global = SampleRealms.repositorySamples().resolve("global");
    List<String> args = new ArrayList<>(List.of("-d", dir.toString(), "-classpath", System.getProperty("java.class.path"),
      "-Xlint:all", "-Werror", "-proc:none"));
    try (Stream<Path> files = Files.list(global)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = javac.run(null, null, err, args.toArray(new String[0]));
    assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
    assertTrue(Files.isRegularFile(dir.resolve("Echo.class")));
  }

  @Test
  void aTakenPortIsSkipped() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertTrue(!Ports.free("127.0.0.1", port));
      assertNotEquals(port, Ports.firstFree("127.0.0.1", port, 1));
    }
  }
}
