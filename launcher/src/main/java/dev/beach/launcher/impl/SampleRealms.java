package dev.beach.launcher.impl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a node finds realm code when nobody said: the repository's {@code samples/realms} when the launcher runs
 * from a checkout (so edits to the samples show up at once), else the sample realms packaged in the jar,
 * extracted to {@code $BEACH_HOME/realms} ({@code ~/.beach/realms}). Extraction never overwrites a file, so a
 * user's edits there survive upgrades.
 */
public final class SampleRealms {

  /** Classpath folder holding {@code <realm>/<file>} copies of samples/realms (see launcher/pom.xml). */
  public static final String RESOURCE_ROOT = "beach-samples/realms";

  private SampleRealms() {
  }

  public static Path defaultCodeDir(Map<String, String> env) {
    Path repo = repositorySamples();
    if (repo != null) {
      return repo;
    }
    Path dir = beachHome(env).resolve("realms");
    extract(dir);
    return dir;
  }

  /** {@code $BEACH_HOME}, else {@code ~/.beach}. */
  public static Path beachHome(Map<String, String> env) {
    String home = env.get("BEACH_HOME");
    return home != null && !home.isBlank() ? Path.of(home).toAbsolutePath() : Path.of(System.getProperty("user.home"), ".beach");
  }

  /**
   * The checkout's {@code samples/realms}, found from the working directory or from where the launcher's classes
   * are ({@code <repo>/launcher/target/beach.jar} or {@code <repo>/launcher/target/classes}); null when neither.
   */
  public static Path repositorySamples() {
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of("samples", "realms").toAbsolutePath());
    try {
      URL location = SampleRealms.class.getProtectionDomain().getCodeSource().getLocation();
      Path p = Path.of(location.toURI());
      // beach.jar and classes/ both sit in launcher/target: three levels below the repository root.
      Path root = p.getParent() == null || p.getParent().getParent() == null ? null : p.getParent().getParent().getParent();
      if (root != null) {
        candidates.add(root.resolve("samples").resolve("realms"));
      }
    } catch (URISyntaxException | RuntimeException e) {
      // No code source (unusual class loaders): the working directory is the only hint.
    }
    for (Path c : candidates) {
      if (Files.isDirectory(c.resolve("global"))) {
        return c.normalize();
      }
    }
    return null;
  }

  /** Copies the packaged sample realms into {@code target}, skipping files that exist; returns what was copied. */
  public static List<Path> extract(Path target) {
    URL root = SampleRealms.class.getClassLoader().getResource(RESOURCE_ROOT);
    if (root == null) {
      throw new IllegalStateException("the launcher was built without its sample realms (" + RESOURCE_ROOT + ")");
    }
    List<Path> copied = new ArrayList<>();
    try {
      URI uri = root.toURI();
      if ("jar".equals(uri.getScheme())) {
        FileSystem fs;
        boolean opened = false;
        try {
          fs = FileSystems.getFileSystem(uri);
        } catch (FileSystemNotFoundException e) {
          fs = FileSystems.newFileSystem(uri, Map.of());
          opened = true;
        }
        try {
          copyTree(fs.getPath(RESOURCE_ROOT), target, copied);
        } finally {
          if (opened) {
            fs.close();
          }
        }
      } else {
        copyTree(Path.of(uri), target, copied);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the sample realms to " + target + ": " + e.getMessage(), e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return copied;
  }

  private static void copyTree(Path from, Path to, List<Path> copied) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (!Files.isRegularFile(f)) {
          continue;
        }
        // Rebuild the relative path name by name: the source may be a zip file system of another provider.
        Path dest = to;
        for (Path part : from.relativize(f)) {
          dest = dest.resolve(part.toString());
        }
        if (Files.exists(dest)) {
          continue;
        }
        Files.createDirectories(dest.getParent());
        try (InputStream in = Files.newInputStream(f)) {
          Files.copy(in, dest);
        }
        copied.add(dest);
      }
    }
  }
}
