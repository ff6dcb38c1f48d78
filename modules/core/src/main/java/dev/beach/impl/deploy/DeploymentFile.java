package dev.beach.impl.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@code <dataDir>/deployments.json}: every node's copy of the cluster's deployments, so that a full cluster restart
 * restores them. Written whole (temporary file, then an atomic move, so a reader or a crash never sees half a file),
 * readable by its owner only since private parameters are in it. Blocking: call it from a worker.
 */
final class DeploymentFile {

  static final String NAME = "deployments.json";
  private static final Logger LOG = LoggerFactory.getLogger(DeploymentFile.class);

  private final Path file;

  DeploymentFile(Path dataDir) {
    this.file = dataDir.resolve(NAME);
  }

  Path path() {
    return file;
  }

  void write(Collection<DeploymentRecord> records) throws IOException {
    JsonArray list = new JsonArray();
    for (DeploymentRecord r : records) {
      list.add(new JsonObject(r.encode()));
    }
    Files.createDirectories(file.getParent());
    // Nodes of one machine may share the folder (beach fork): each writes its own temporary file.
    Path tmp = file.resolveSibling(NAME + "." + java.util.UUID.randomUUID() + ".tmp");
    Files.writeString(tmp, new JsonObject().put("version", 1).put("deployments", list).encodePrettily(),
      StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // the folder's own permissions then
    }
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * The saved records; none when there is no file. A file that cannot be read is moved aside (never overwritten:
   * an operator may want it) and counts as none, with one log line saying where it went.
   */
  List<DeploymentRecord> read() {
    List<DeploymentRecord> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      for (Object o : json.getJsonArray("deployments", new JsonArray())) {
        out.add(DeploymentRecord.decode(((JsonObject) o).encode()));
      }
      return out;
    } catch (IOException | RuntimeException e) {
      Path aside = file.resolveSibling(NAME + ".unreadable-" + System.currentTimeMillis());
      try {
        Files.move(file, aside);
      } catch (IOException ignored) {
        // left in place; it is still not used
      }
      LOG.error("cannot read the saved deployments in {} ({}); moved to {} and not restored", file, e.getMessage(), aside);
      return new ArrayList<>();
    }
  }
}
