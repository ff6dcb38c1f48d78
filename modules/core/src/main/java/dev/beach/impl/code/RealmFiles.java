package dev.beach.impl.code;

import dev.beach.BeachException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Lists a realm folder's code files with their SHA-256. With a base folder ({@code node.baseCodeDir}), a realm's files
 * are those of {@code <codeDir>/<realm>} plus those of {@code <baseCodeDir>/<realm>} whose name the first lacks: the
 * base is read, never written, so pushed code lands in the code folder and wins over a base file of the same name. Hashes are cached by (size, modification time), so
 * rescanning a folder on every deployment costs a directory listing, and only changed files are read.
 * Blocking: call from worker threads.
 */
final class RealmFiles {

  private static final Logger LOG = LoggerFactory.getLogger(RealmFiles.class);

  /** One code file as seen by a scan. */
  record CodeFile(String name, Path path, long size, long modifiedAt, String sha256) {
  }

  private final RealmPaths paths;
  /** The read-only folder beneath {@link #paths}, or null. */
  private final RealmPaths base;
  /** What a file looked like when it was hashed: an edit changes at least one of these. */
  private record Stamp(long size, FileTime modified, Object fileKey) {
  }

  private record Hashed(Stamp stamp, CodeFile file) {
  }

  private final ConcurrentHashMap<Path, Hashed> hashed = new ConcurrentHashMap<>();

  RealmFiles(RealmPaths paths) {
    this(paths, null);
  }

  /** @param base a read-only folder of realm code beneath {@code paths}, or null */
  RealmFiles(RealmPaths paths, RealmPaths base) {
    this.paths = paths;
    this.base = base;
  }

  RealmPaths paths() {
    return paths;
  }

  /** The realm's code files sorted by name (the code folder's, then the base's it lacks); empty when there are none. */
  List<CodeFile> scan(String realm) {
    java.util.Map<String, CodeFile> byName = new java.util.TreeMap<>();
    scanInto(paths, realm, byName);
    if (base != null) {
      scanInto(base, realm, byName);
    }
    return new ArrayList<>(byName.values());
  }

  private void scanInto(RealmPaths root, String realm, java.util.Map<String, CodeFile> byName) {
    Path dir = root.realmDir(realm);
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<CodeFile> files = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        String name = entry.getFileName().toString();
        if (!RealmPaths.isCodeFile(name) || byName.containsKey(name)) {
          continue;
        }
        CodeFile file = describe(root, realm, name);
        if (file != null) {
          files.add(file);
        }
      }
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list realm folder " + dir, e);
    }
    files.forEach(f -> byName.put(f.name(), f));
    // Forget hashes of files that are gone, so a long-running node does not remember every name ever pushed.
    hashed.keySet().removeIf(p -> p.getParent().equals(dir) && files.stream().noneMatch(f -> f.path().equals(p)));
  }

  /**
   * One file of the realm (the code folder's, else the base's), or {@code null} when it is absent, not a regular
   * file, or a link leading outside.
   */
  CodeFile describe(String realm, String name) {
    CodeFile file = describe(paths, realm, name);
    return file != null || base == null ? file : describe(base, realm, name);
  }

  /** One file of the code folder only, never of the base: what a push has written here. */
  CodeFile describeWritable(String realm, String name) {
    return describe(paths, realm, name);
  }

  private CodeFile describe(RealmPaths root, String realm, String name) {
    Path path;
    try {
      path = root.file(realm, name);
    } catch (BeachException e) {
      LOG.warn("realm {}: ignoring {}: {}", realm, name, e.getMessage());
      return null;
    }
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (IOException e) {
      return null;
    }
    if (!attrs.isRegularFile()) {
      return null;
    }
    // Full-precision time and the inode: two edits within one millisecond, or a same-size file moved in
    // with an old time, still count as changes.
    Stamp stamp = new Stamp(attrs.size(), attrs.lastModifiedTime(), attrs.fileKey());
    Hashed known = hashed.get(path);
    if (known != null && known.stamp().equals(stamp)) {
      return known.file();
    }
    String sha;
    try {
      sha = sha256(path);
    } catch (IOException e) {
      return null;
    }
    CodeFile file = new CodeFile(name, path, stamp.size(), stamp.modified().toMillis(), sha);
    hashed.put(path, new Hashed(stamp, file));
    return file;
  }

  static String sha256(byte[] content) {
    return HexFormat.of().formatHex(digest().digest(content));
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest = digest();
    byte[] chunk = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(chunk)) > 0) {
        digest.update(chunk, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
