package dev.beach.launcher.impl;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads {@code beach node}'s configuration: the YAML file (vertx-config-yaml; the embedded default when there is
 * none), then {@code BEACH_*} variables ({@link EnvOverrides}), then command-line flags, each layer overriding the
 * one before key by key. A relative {@code node.codeDir}, {@code node.baseCodeDir} or {@code node.dataDir} in a file is
 * relative to that file.
 */
public final class ConfigLoader {

  private ConfigLoader() {
  }

  /**
   * @param file  the YAML file, or null for the embedded default
   * @param env   the environment ({@code System.getenv()} outside tests)
   * @param flags the flags' layer, in the YAML layout
   */
  public static Future<LauncherConfig> load(Vertx vertx, Path file, Map<String, String> env, JsonObject flags) {
    String source;
    String path;
    if (file != null) {
      Path abs = file.toAbsolutePath().normalize();
      if (!Files.isRegularFile(abs)) {
        return Future.failedFuture(new ConfigException(null, "config file not found: " + abs));
      }
      source = abs.toString();
      path = source;
    } else {
      source = "embedded default";
      path = LauncherConfig.DEFAULT_RESOURCE;
    }
    return readYaml(vertx, path).compose(yaml -> {
      try {
        return Future.succeededFuture(merge(yaml, file, source, env, flags));
      } catch (ConfigException e) {
        return Future.failedFuture(e);
      }
    }, err -> Future.failedFuture(new ConfigException(null, "cannot read " + source + ": " + rootMessage(err))));
  }

  /** {@link #load} on a short-lived Vert.x, for the command line (never on an event loop). */
  public static LauncherConfig loadBlocking(Path file, Map<String, String> env, JsonObject flags) {
    Vertx vertx = Vertx.vertx();
    try {
      return load(vertx, file, env, flags).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof ConfigException) {
        throw (ConfigException) e.getCause();
      }
      throw new ConfigException(null, "cannot read the configuration: " + rootMessage(e.getCause()));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new ConfigException(null, "timed out reading the configuration");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException(null, "interrupted reading the configuration");
    } finally {
      vertx.close();
    }
  }

  static LauncherConfig merge(JsonObject yaml, Path file, String source, Map<String, String> env, JsonObject flags) {
    JsonObject fromFile = ConfigSchema.normalize(yaml, key -> "(in " + source + ")");
    if (file != null) {
      resolveCodeDir(fromFile, file.toAbsolutePath().getParent());
    }
    Map<String, String> origins = new HashMap<>();
    JsonObject fromEnv = ConfigSchema.normalize(EnvOverrides.read(env, origins),
      key -> "(set by " + EnvOverrides.origin(origins, key) + ")");
    resolveCodeDir(fromEnv, Path.of("").toAbsolutePath());
    JsonObject fromFlags = ConfigSchema.normalize(flags, key -> "(command-line flag)");
    resolveCodeDir(fromFlags, Path.of("").toAbsolutePath());
    JsonObject merged = fromFile.mergeIn(fromEnv, true).mergeIn(fromFlags, true);
    return new LauncherConfig(merged, source);
  }

  private static void resolveCodeDir(JsonObject layer, Path base) {
    JsonObject node = layer.getJsonObject("node");
    if (node == null) {
      return;
    }
    for (String key : new String[]{"codeDir", "baseCodeDir", "dataDir"}) {
      String dir = node.getValue(key) instanceof String ? node.getString(key) : null;
      if (dir == null) {
        continue;
      }
      if (dir.equals("~") || dir.startsWith("~/")) {
        dir = System.getProperty("user.home") + dir.substring(1);
      }
      node.put(key, base.resolve(dir).normalize().toString());
    }
  }

  private static Future<JsonObject> readYaml(Vertx vertx, String path) {
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
      .setIncludeDefaultStores(false)
      .setScanPeriod(0)
      .addStore(new ConfigStoreOptions().setType("file").setFormat("yaml").setConfig(new JsonObject().put("path", path))));
    return retriever.getConfig().eventually(retriever::close);
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return m == null ? c.getClass().getSimpleName() : m;
  }
}
