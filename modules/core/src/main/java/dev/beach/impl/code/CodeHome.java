package dev.beach.impl.code;

import dev.beach.BeachException;
import dev.beach.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * Where a node keeps realm code: {@code node.codeDir} when configured, else a private temporary folder (pushed code
 * still needs a home), deleted when the node closes.
 */
public final class CodeHome implements AutoCloseable {

  private final Path path;
  private final boolean owned;

  private CodeHome(Path path, boolean owned) {
    this.path = path;
    this.owned = owned;
  }

  /** {@code codeDir} when set, else a new temporary folder named after the node ({@code shortId}). */
  public static CodeHome of(String codeDir, String shortId) {
    if (codeDir != null) {
      return new CodeHome(Path.of(codeDir).toAbsolutePath(), false);
    }
    try {
      return new CodeHome(Files.createTempDirectory("beach-code-" + shortId + "-"), true);
    } catch (IOException e) {
      throw new BeachException(ErrorCode.ACTOR_FAILED, "cannot create a code directory: " + e.getMessage());
    }
  }

  public Path path() {
    return path;
  }

  /** Deletes the folder when it is a private one; a leftover temporary folder is harmless, so failures are ignored. */
  @Override
  public void close() {
    if (!owned) {
      return;
    }
    try (var paths = Files.walk(path)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException ignored) {
      // a leftover temp folder is harmless
    }
  }
}
