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
 * Lists a realm folder's code files with their SHA-256. Hashes are cached by (size, modification time), so
 * rescanning a folder on every deployment costs a directory listing, and only changed files are read.
 * Blocking: call from worker threads.
 */
final class RealmFiles {

  private static final Logger LOG = LoggerFactory.getLogger(RealmFiles.class);

  /** One code file as seen by a scan. */
  record CodeFile(String name, Path path, long size, long modifiedAt, String sha256) {
  }

  private final RealmPaths paths;
  /** What a file looked like when it was hashed: an edit changes at least one of these. */
  private record Stamp(long size, FileTime modified, Object fileKey) {
  }

  private record Hashed(Stamp stamp, CodeFile file) {
  }

  private final ConcurrentHashMap<Path, Hashed> hashed = new ConcurrentHashMap<>();

  RealmFiles(RealmPaths paths) {
    this.paths = paths;
  }

  RealmPaths paths() {
    return paths;
  }

  /** The realm's code files sorted by name; empty when the folder does not exist. */
  List<CodeFile> scan(String realm) {
    Path dir = paths.realmDir(realm);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<CodeFile> files = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        String name = entry.getFileName().toString();
        if (!RealmPaths.isCodeFile(name)) {
          continue;
        }
        CodeFile file = describe(realm, name);
        if (file != null) {
          files.add(file);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list realm folder " + dir, e);
    }
    files.sort(Comparator.comparing(CodeFile::name));
    // Forget hashes of files that are gone, so a long-running node does not remember every name ever pushed.
    hashed.keySet().removeIf(p -> p.getParent().equals(dir) && files.stream().noneMatch(f -> f.path().equals(p)));
    return files;
  }

  /** One file of the realm, or {@code null} when it is absent, not a regular file, or a link leading outside. */
  CodeFile describe(String realm, String name) {
    Path path;
    try {
      path = paths.file(realm, name);
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
