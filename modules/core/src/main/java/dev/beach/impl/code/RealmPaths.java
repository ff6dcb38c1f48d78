package dev.beach.impl.code;

import dev.beach.Address;
import dev.beach.BeachException;
import dev.beach.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The only place that turns (code directory, realm, file name) into a {@link Path}.
 * <p>
 * Realm and file names arrive from HTTP, the CLI and other nodes, so every path is built from names that
 * were checked first: the realm against {@link Address#REALM_RULE}, the file against {@link #FILE_RULE}
 * (no separators, no leading dot). Names alone cannot escape the code directory, but links can: a realm
 * folder or file that is a symbolic link resolving outside the real code directory is refused too.
 * Every refusal is a {@code BAD_REQUEST} quoting the rule that was broken.
 */
public final class RealmPaths {

  /** File names a realm may hold: plain names ending in {@code .jar} or {@code .java}, no path, no leading dot. */
  public static final String FILE_RULE = "[A-Za-z0-9_-][A-Za-z0-9_.-]*\\.(jar|java), at most 255 characters";

  private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]*\\.(jar|java)");
  private static final int MAX_FILE_LENGTH = 255;

  private final Path codeDir;

  public RealmPaths(Path codeDir) {
    this.codeDir = codeDir.toAbsolutePath().normalize();
  }

  public Path codeDir() {
    return codeDir;
  }

  /** {@code <codeDir>/<realm>}, which may not exist; refused when the name is invalid or a link leads outside. */
  public Path realmDir(String realm) {
    Address.validateRealm(realm);
    Path dir = codeDir.resolve(realm);
    checkInside(dir, "realm '" + realm + "'");
    return dir;
  }

  /** {@code <codeDir>/<realm>/<file>}, which may not exist; refused when a name is invalid or a link leads outside. */
  public Path file(String realm, String file) {
    validateFile(file);
    Path path = realmDir(realm).resolve(file);
    checkInside(path, "file '" + realm + "/" + file + "'");
    return path;
  }

  /** Whether {@code name} is a realm code file name (listing skips everything else: temp files, notes). */
  public static boolean isCodeFile(String name) {
    return name != null && name.length() <= MAX_FILE_LENGTH && FILE.matcher(name).matches();
  }

  public static String validateFile(String file) {
    if (!isCodeFile(file)) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "invalid code file name "
        + (file == null ? "(missing)" : "'" + abbreviate(file) + "'") + ": must match " + FILE_RULE);
    }
    return file;
  }

  /**
   * Refuses {@code path} when it (or its realm folder) exists and resolves, through links, outside the
   * real code directory, or is a dangling link (writing through it would create a file wherever it points).
   */
  private void checkInside(Path path, String what) {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Path real;
    Path realRoot;
    try {
      real = path.toRealPath();
      realRoot = codeDir.toRealPath();
    } catch (IOException e) {
      throw new BeachException(ErrorCode.BAD_REQUEST, what + " is a link that leads nowhere: links must stay inside the code directory");
    }
    if (!real.startsWith(realRoot) || real.equals(realRoot)) {
      throw new BeachException(ErrorCode.BAD_REQUEST, what + " resolves outside the code directory: links must stay inside it");
    }
  }

  private static String abbreviate(String value) {
    return value.length() <= 80 ? value : value.substring(0, 77) + "...";
  }
}
