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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Pushed realm code, replicated to every node so that a shared filesystem is optional.
 * <p>
 * A push stores the file in the cluster-wide map {@value #MAP_NAME} (key {@code realm/file}, value a
 * {@link CodeEntry}: a header signed with the cluster secret by the node that took the push, then the bytes) and
 * publishes a notice; every node's store then writes the map's current bytes into its local
 * {@code <codeDir>/<realm>/<file>} (temporary file + atomic move, so a class loader never reads half a
 * file). A node that starts later copies every stored file that it lacks or holds with other content.
 * Local writes run one after another and always write the map's value at that moment, so concurrent pushes
 * of one file leave every node with the same, last stored, content. Listing and reading use the local
 * folder, so files an operator dropped in by hand are shown too. All file work runs on worker threads.
 * <p>
 * Hazelcast's open-source edition lets any process that reaches the member port join and write the map, so no
 * node trusts it: before writing a file (and so before anything compiles or loads it) every node checks the
 * entry's header against the key, the content against the signed hash, and, when the node has a cluster secret,
 * the signature. It also refuses a version older than one it already wrote since it started (a replayed entry).
 * A refused entry is never written; it is logged, counted ({@link #rejected()}) and reported to the listener
 * given at start (the node publishes it as a {@code code.rejected} event). A node without a secret accepts
 * unsigned entries, as a loopback development cluster has none.
 */
public final class CodeStore {

  /** The largest file a push accepts: 64 MiB. */
  public static final long MAX_FILE_SIZE = 64L * 1024 * 1024;

  // TODO(lead): Address should own both names (e.g. Address.CODE_EVENTS, Address.CODE_MAP).
  static final String MAP_NAME = Address.CODE_MAP;
  static final String NOTICE_ADDRESS = Address.CODE_NOTICES;

  /** How often a push retries when another push of the same file lands between its read and its write. */
  private static final int MAX_STORE_ATTEMPTS = 10;

  private static final Logger LOG = LoggerFactory.getLogger(CodeStore.class);

  /** A replicated file this node refused; {@code from} is the node its header claims, unverified. */
  public record Rejection(String realm, String file, String from, String reason) {
  }

  private final Vertx vertx;
  private final String nodeId;
  private final CodeSigner signer;
  private final Consumer<Rejection> onRejected;
  private final RealmFiles files;
  private final AsyncMap<String, Buffer> map;
  /** Per key, the highest version this node has written or found already in place since it started. */
  private final Map<String, Long> versions = new ConcurrentHashMap<>();
  private final AtomicLong rejected = new AtomicLong();
  private MessageConsumer<JsonObject> notices;
  private Future<Void> tail = Future.succeededFuture();

  private CodeStore(Vertx vertx, Path codeDir, Path baseDir, String nodeId, CodeSigner signer,
                    Consumer<Rejection> onRejected, AsyncMap<String, Buffer> map) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.signer = signer;
    this.onRejected = onRejected;
    this.files = new RealmFiles(new RealmPaths(codeDir), baseDir == null ? null : new RealmPaths(baseDir));
    this.map = map;
  }

  /** A store without a cluster secret that only logs what it refuses (tests, single development nodes). */
  static Future<CodeStore> start(Vertx vertx, Path codeDir) {
    return start(vertx, codeDir, "local", null, r -> { });
  }

  /**
   * Opens the store (clustered map when {@code vertx} is clustered, a local one otherwise), listens for
   * pushes, then copies every stored file missing or different in {@code codeDir}.
   *
   * @param nodeId     named in the entries this node stores
   * @param secret     the cluster secret: entries are signed with it and refused unless they verify; null: none
   * @param onRejected told of every replicated file refused, after it was logged and counted
   */
  public static Future<CodeStore> start(Vertx vertx, Path codeDir, String nodeId, String secret,
                                        Consumer<Rejection> onRejected) {
    return start(vertx, codeDir, null, nodeId, secret, onRejected);
  }

  /**
   * Like {@link #start(Vertx, Path, String, String, Consumer)} with {@code baseDir}, a read-only folder of realm code
   * beneath {@code codeDir} (listed and read, never written: pushes land in {@code codeDir}), or null for none.
   */
  public static Future<CodeStore> start(Vertx vertx, Path codeDir, Path baseDir, String nodeId, String secret,
                                        Consumer<Rejection> onRejected) {
    CodeSigner signer = CodeSigner.of(secret);
    return vertx.sharedData().<String, Buffer>getAsyncMap(MAP_NAME).compose(map -> {
      CodeStore store = new CodeStore(vertx, codeDir, baseDir, nodeId, signer, onRejected, map);
      // Listen before syncing: a push landing during the sync is then caught by one or the other.
      store.notices = vertx.eventBus().consumer(NOTICE_ADDRESS, msg -> store.onNotice(msg.body()));
      return store.notices.completion().compose(v -> store.syncAll()).map(store);
    });
  }

  public Path codeDir() {
    return files.paths().codeDir();
  }

  /** How many replicated files this node has refused since it started. */
  public long rejected() {
    return rejected.get();
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
    }, false).compose(sha -> store(realm, file, sha, content, 1)
      .compose(v -> serially(() -> syncOne(realm, file, null)))
      .onSuccess(v -> vertx.eventBus().publish(NOTICE_ADDRESS, new JsonObject()
        .put("realm", realm).put("file", file).put("sha256", sha).put("size", content.length()))));
  }

  /**
   * Writes a signed entry whose version is above the one it replaces, with a compare-and-set so that two pushes of
   * one file cannot both take the same place: versions of a key only grow, which is what lets nodes refuse a
   * replayed older entry without ever refusing a newer honest one.
   */
  private Future<Void> store(String realm, String file, String sha, Buffer content, int attempt) {
    String key = key(realm, file);
    return map.get(key).compose(current -> {
      long version = Math.max(System.currentTimeMillis(), trustedVersion(current) + 1);
      Buffer value = CodeEntry.signed(realm, file, sha, content.length(), version, nodeId, signer).encode(content);
      Future<Boolean> stored = current == null ? map.putIfAbsent(key, value).map(previous -> previous == null)
        : map.replaceIfPresent(key, current, value);
      return stored.compose(done -> {
        if (done) {
          return Future.succeededFuture();
        }
        if (attempt >= MAX_STORE_ATTEMPTS) {
          return Future.failedFuture(new BeachException(ErrorCode.CONFLICT, "code file " + key + " is being pushed by"
            + " others at the same time; try again", realm, null, null, nodeId, null, null));
        }
        return store(realm, file, sha, content, attempt + 1);
      });
    });
  }

  /** The version of a stored value when its header verifies, else 0: an unverifiable value dictates nothing. */
  private long trustedVersion(Buffer current) {
    if (current == null) {
      return 0;
    }
    try {
      CodeEntry entry = CodeEntry.decode(current).entry();
      return entry.verifies(signer) ? Math.max(0, entry.version()) : 0;
    } catch (CodeEntry.Refused e) {
      return 0;
    }
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

  /** The bytes of {@code <realm>/<file>} in the local folder (or the base); 404 when there is no such file. */
  public Future<Buffer> read(String realm, String file) {
    return vertx.executeBlocking(() -> {
      files.paths().file(realm, file); // names and links checked, whichever folder holds it
      RealmFiles.CodeFile found = files.describe(realm, file);
      Path path = found == null ? null : found.path();
      if (path == null || !Files.isRegularFile(path)) {
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
      return map.get(key(realm, file)).compose(value -> value == null ? Future.<Void>succeededFuture()
        : vertx.executeBlocking(() -> {
          accept(realm, file, value);
          return null;
        }, false));
    });
  }

  /** Writes {@code value} locally when it passes every check; refuses and reports it otherwise. Blocking. */
  private void accept(String realm, String file, Buffer value) throws IOException {
    String key = key(realm, file);
    CodeEntry.Decoded decoded = null;
    try {
      Address.validateRealm(realm);
      RealmPaths.validateFile(file);
      decoded = CodeEntry.decode(value);
      CodeEntry entry = decoded.entry();
      entry.check(realm, file, decoded.content(), signer);
      Long seen = versions.get(key);
      if (seen != null && entry.version() < seen) {
        throw new CodeEntry.Refused("its version " + entry.version() + " is older than version " + seen
          + " that this node already has (a replayed entry)");
      }
    } catch (CodeEntry.Refused | BeachException e) {
      reject(realm, file, decoded == null ? "" : decoded.entry().node(), e.getMessage());
      return;
    }
    write(realm, file, decoded.content());
    versions.merge(key, decoded.entry().version(), Math::max);
  }

  private void reject(String realm, String file, String from, String reason) {
    rejected.incrementAndGet();
    // Key and header come from whoever wrote the map: never let them forge log lines or flood one.
    Rejection r = new Rejection(printable(realm), printable(file), printable(from), printable(reason));
    LOG.warn("realm {}: refused replicated code file {} (its header names node {}): {}; nothing written or compiled",
      r.realm(), r.file(), r.from().isEmpty() ? "none" : "'" + r.from() + "'", r.reason());
    try {
      onRejected.accept(r);
    } catch (RuntimeException e) {
      LOG.warn("realm {}: cannot report the refused code file {}: {}", realm, file, e.toString());
    }
  }

  /** Runs {@code task} after every task queued before it, whatever their outcome. */
  private synchronized Future<Void> serially(Supplier<Future<Void>> task) {
    Future<Void> next = tail.transform(ignored -> task.get());
    tail = next;
    return next;
  }

  /**
   * The hash of the code folder's copy, or {@code null} when there is none. The base folder does not count: a pushed
   * file equal to a base file is still written, so it stays when the base changes.
   */
  private String localSha(String realm, String file) {
    RealmFiles.CodeFile local = files.describeWritable(realm, file);
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

  private static String printable(String text) {
    String t = text.length() > 200 ? text.substring(0, 200) + "..." : text;
    return t.replaceAll("\\p{Cntrl}", "?");
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
