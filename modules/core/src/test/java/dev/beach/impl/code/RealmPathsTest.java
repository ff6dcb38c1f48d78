package dev.beach.impl.code;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.beach.impl.code.Fixtures.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RealmPathsTest {

  @TempDir
  Path tmp;

  @Test
  void validNamesResolveInsideTheRealmFolder() {
    RealmPaths paths = new RealmPaths(tmp.resolve("code"));
    assertEquals(tmp.resolve("code/global/Echo.java"), paths.file("global", "Echo.java"));
    assertEquals(tmp.resolve("code/my-realm_1/lib-1.2.jar"), paths.file("my-realm_1", "lib-1.2.jar"));
    assertEquals(tmp.resolve("code/global"), paths.realmDir("global"));
  }

  @Test
  void fileNamesThatCouldLeaveTheFolderAreRefusedWith400() {
    RealmPaths paths = new RealmPaths(tmp);
    for (String bad : Arrays.asList("../x.java", "/etc/passwd", "a/../../b.java", "..", "../../etc/passwd",
      "sub/Echo.java", "a\\b.java", ".hidden.java", "Echo.class", "notes.txt", "", null, "x".repeat(300) + ".java")) {
      BeachException e = fails(ErrorCode.BAD_REQUEST, () -> paths.file("global", bad));
      assertTrue(e.getMessage().contains(RealmPaths.FILE_RULE), e.getMessage());
    }
  }

  @Test
  void invalidRealmsAreRefusedWith400BeforeAnyPathIsBuilt() {
    RealmPaths paths = new RealmPaths(tmp);
    for (String bad : Arrays.asList("..", ".", "A B", "a/b", "../etc", "/etc", "", null, "Global")) {
      BeachException e = fails(ErrorCode.BAD_REQUEST, () -> paths.realmDir(bad));
      assertTrue(e.getMessage().contains("[a-z0-9][a-z0-9_-]{0,62}"), e.getMessage());
      fails(ErrorCode.BAD_REQUEST, () -> paths.file(bad, "Echo.java"));
    }
  }

  @Test
  void aFileLinkLeadingOutsideIsRefused() throws IOException {
    Path code = Files.createDirectories(tmp.resolve("code/global"));
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "top secret");
    Files.createSymbolicLink(code.resolve("Leak.java"), secret);
    RealmPaths paths = new RealmPaths(tmp.resolve("code"));
    BeachException e = fails(ErrorCode.BAD_REQUEST, () -> paths.file("global", "Leak.java"));
    assertTrue(e.getMessage().contains("outside the code directory"), e.getMessage());
  }

  @Test
  void aRealmLinkLeadingOutsideIsRefused() throws IOException {
    Files.createDirectories(tmp.resolve("code"));
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.createSymbolicLink(tmp.resolve("code/evil"), elsewhere);
    RealmPaths paths = new RealmPaths(tmp.resolve("code"));
    fails(ErrorCode.BAD_REQUEST, () -> paths.realmDir("evil"));
    fails(ErrorCode.BAD_REQUEST, () -> paths.file("evil", "Echo.java"));
  }

  @Test
  void aDanglingLinkIsRefusedSoNothingIsWrittenThroughIt() throws IOException {
    Path code = Files.createDirectories(tmp.resolve("code/global"));
    Files.createSymbolicLink(code.resolve("Ghost.java"), tmp.resolve("nowhere/Ghost.java"));
    RealmPaths paths = new RealmPaths(tmp.resolve("code"));
    BeachException e = fails(ErrorCode.BAD_REQUEST, () -> paths.file("global", "Ghost.java"));
    assertTrue(e.getMessage().contains("leads nowhere"), e.getMessage());
  }

  @Test
  void linksThatStayInsideTheCodeDirectoryAreAllowed() throws IOException {
    Path code = Files.createDirectories(tmp.resolve("code/shared"));
    Files.writeString(code.resolve("Echo.java"), "class Echo {}");
    Files.createSymbolicLink(tmp.resolve("code/alias"), code);
    RealmPaths paths = new RealmPaths(tmp.resolve("code"));
    assertTrue(Files.isRegularFile(paths.file("alias", "Echo.java")));
  }

  @Test
  void onlyCodeFilesCount() {
    assertTrue(RealmPaths.isCodeFile("Echo.java"));
    assertTrue(RealmPaths.isCodeFile("lib-1.0.jar"));
    assertFalse(RealmPaths.isCodeFile(".Echo.java.123.tmp"));
    assertFalse(RealmPaths.isCodeFile("README.md"));
  }
}
