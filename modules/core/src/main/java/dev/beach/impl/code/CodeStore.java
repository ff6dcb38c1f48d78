package dev.beach.impl.code;

import dev.beach.Address;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Pushed realm code, replicated to every node so that a shared filesystem is optional.
 * <p>
 * A push stores the file in the cluster-wide map {@value #MAP_NAME} (key {@code realm/file}, value the
 * bytes) and publishes a notice; every node's store then writes the map's current bytes into its local
 * {@code <codeDir>/<realm>/<file>} (temporary file + atomic move, so a class loader never reads half a
 * file). A node that starts later copies every stored file that it lacks or holds with other content.
 * Local writes run one after another and always write the map's value at that moment, so concurrent pushes
 * of one file leave every node with the same, last stored, content. Listing and reading use the local
 * folder, so files an operator dropped in by hand are shown too. All file work runs on worker threads.
 */
public final class CodeStore {

  /** The largest file a push accepts: 64 MiB. */
  public static final long MAX_FILE_SIZE = 64L * 1024 * 1024;

  // TODO(lead): Address should own both names (e.g. Address.CODE_EVENTS, Address.CODE_MAP).
  static final String MAP_NAME = Address.CODE_MAP;
  static final String NOTICE_ADDRESS = Address.CODE_NOTICES;

  private static final Logger LOG = LoggerFactory.getLogger(CodeStore.class);

  private final Vertx vertx;
  private final RealmFiles files;
  private final AsyncMap<String, Buffer> map;
  private MessageConsumer<JsonObject> notices;
  private Future<Void> tail = Future.succeededFuture();

  private CodeStore(Vertx vertx, Path codeDir, AsyncMap<String, Buffer> map) {
    this.vertx = vertx;
    this.files = new RealmFiles(new RealmPaths(codeDir));
    this.map = map;
  }

  /**
   * Opens the store (clustered map when {@code vertx} is clustered, a local one otherwise), listens for
   * pushes, then copies every stored file missing or different in {@code codeDir}.
   */
  public static Future<CodeStore> start(Vertx vertx, Path codeDir) {
    return vertx.sharedData().<String, Buffer>getAsyncMap(MAP_NAME).compose(map -> {
      CodeStore store = new CodeStore(vertx, codeDir, map);
      // Listen before syncing: a push landing during the sync is then caught by one or the other.
      store.notices = vertx.eventBus().consumer(NOTICE_ADDRESS, msg -> store.onNotice(msg.body()));
      return store.notices.completion().compose(v -> store.syncAll()).map(store);
    });
  }

  public Path codeDir() {
    return files.paths().codeDir();
  }

  /** Stores {@code content} as {@code <realm>/<file>} cluster-wide; completes once this node's copy is written. */
  public Future<Void> push(String realm, String file, Buffer content) {
    try {
      Address.validateRealm(realm);
      RealmPaths.validateFile(file);
    } catch (BeachException e) {
      return Future.failedFuture(e);
    }
    if (content == null) {
      return Future.failedFuture(new BeachException(ErrorCode.BAD_REQUEST, "code file " + realm + "/" + file + " has no content",
        realm, null, null, null, null, null));
    }
    if (content.length() > MAX_FILE_SIZE) {
      return Future.failedFuture(new BeachException(ErrorCode.TOO_LARGE, "code file " + realm + "/" + file + " is "
        + content.length() + " bytes; the limit is " + MAX_FILE_SIZE + " bytes (64 MiB)", realm, null, null, null, null, null));
    }
    if (file.endsWith(".jar") && !isZip(content)) {
      return Future.failedFuture(new BeachException(ErrorCode.BAD_REQUEST, "code file " + realm + "/" + file
        + " is not a jar: a .jar must be a zip archive", realm, null, null, null, null, null));
    }
    // Link checks touch the filesystem and hashing 64 MiB takes a while: both on a worker, before storing.
    return vertx.executeBlocking(() -> {
      files.paths().file(realm, file);
      return RealmFiles.sha256(content.getBytes());
    }, false).compose(sha -> map.put(key(realm, file), content)
      .compose(v -> serially(() -> syncOne(realm, file, null)))
      .onSuccess(v -> vertx.eventBus().publish(NOTICE_ADDRESS, new JsonObject()
        .put("realm", realm).put("file", file).put("sha256", sha).put("size", content.length()))));
  }

  /** {@code [{file, size, sha256, modifiedAt}]} of the realm's local folder, sorted by name; empty if it has none. */
  public Future<List<JsonObject>> list(String realm) {
    return vertx.executeBlocking(() -> {
      List<JsonObject> out = new ArrayList<>();
      for (RealmFiles.CodeFile file : files.scan(realm)) {
        out.add(new JsonObject().put("file", file.name()).put("size", file.size())
          .put("sha256", file.sha256()).put("modifiedAt", file.modifiedAt()));
      }
      return out;
    }, false);
  }

  /** The bytes of {@code <realm>/<file>} in the local folder; 404 when there is no such file. */
  public Future<Buffer> read(String realm, String file) {
    return vertx.executeBlocking(() -> {
      Path path = files.paths().file(realm, file);
      if (!Files.isRegularFile(path)) {
        throw new BeachException(ErrorCode.NOT_FOUND, "no code file '" + file + "' in realm '" + realm + "'",
          realm, null, null, null, null, null);
      }
      return Buffer.buffer(Files.readAllBytes(path));
    }, false);
  }

  /** Stops following pushes; files already written stay. */
  public Future<Void> close() {
    MessageConsumer<JsonObject> consumer = notices;
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void onNotice(JsonObject notice) {
    String realm = notice.getString("realm");
    String file = notice.getString("file");
    serially(() -> syncOne(realm, file, notice.getString("sha256")))
      .onFailure(e -> LOG.warn("realm {}: cannot copy pushed file {}: {}", realm, file, e.getMessage()));
  }

  /** Copies every stored file, one at a time so that memory holds one file, not the whole store. */
  private Future<Void> syncAll() {
    return map.keys().compose(keys -> {
      Future<Void> all = Future.succeededFuture();
      for (String key : keys) {
        int slash = key.indexOf('/');
        if (slash < 0) {
          continue;
        }
        String realm = key.substring(0, slash);
        String file = key.substring(slash + 1);
        all = all.compose(v -> serially(() -> syncOne(realm, file, null))
          .otherwise(e -> {
            LOG.warn("realm {}: cannot copy stored file {}: {}", realm, file, e.getMessage());
            return null;
          }));
      }
      return all;
    });
  }

  /**
   * Writes the map's current content of {@code realm/file} locally unless the local copy already has it.
   * {@code hint}, the hash a notice announced, skips fetching when the local copy already matches it.
   */
  private Future<Void> syncOne(String realm, String file, String hint) {
    Future<Boolean> needed = hint == null ? Future.succeededFuture(true)
      : vertx.executeBlocking(() -> !hint.equals(localSha(realm, file)), false);
    return needed.compose(fetch -> {
      if (!fetch) {
        return Future.succeededFuture();
      }
      return map.get(key(realm, file)).compose(content -> content == null ? Future.<Void>succeededFuture()
        : vertx.executeBlocking(() -> {
          write(realm, file, content);
          return null;
        }, false));
    });
  }

  /** Runs {@code task} after every task queued before it, whatever their outcome. */
  private synchronized Future<Void> serially(Supplier<Future<Void>> task) {
    Future<Void> next = tail.transform(ignored -> task.get());
    tail = next;
    return next;
  }

  /** The hash of the local copy, or {@code null} when there is none. */
  private String localSha(String realm, String file) {
    RealmFiles.CodeFile local = files.describe(realm, file);
    return local == null ? null : local.sha256();
  }

  private void write(String realm, String file, Buffer content) throws IOException {
    Path target = files.paths().file(realm, file);
    byte[] bytes = content.getBytes();
    if (RealmFiles.sha256(bytes).equals(localSha(realm, file))) {
      return;
    }
    Path dir = target.getParent();
    Files.createDirectories(dir);
    // The temporary name starts with a dot: never a code file, so no scan picks it up half-written.
    Path temp = Files.createTempFile(dir, "." + file + ".", ".tmp");
    try {
      Files.write(temp, bytes);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    LOG.info("realm {}: wrote pushed code file {} ({} bytes)", realm, file, bytes.length);
  }

  private static String key(String realm, String file) {
    return realm + "/" + file;
  }

  /** Local file header or empty-archive header: enough to refuse a text file named {@code .jar}. */
  private static boolean isZip(Buffer content) {
    return content.length() >= 4 && content.getByte(0) == 'P' && content.getByte(1) == 'K'
      && ((content.getByte(2) == 3 && content.getByte(3) == 4) || (content.getByte(2) == 5 && content.getByte(3) == 6));
  }
}
