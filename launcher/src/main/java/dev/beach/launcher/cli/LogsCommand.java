package dev.beach.launcher.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.stream.Stream;

import static dev.beach.launcher.cli.GatewayClient.seg;

/**
 * {@code beach logs -r REALM ACTOR|CATEGORY [--follow] [--since] [--level] [--limit]}: an actor's recent log lines,
 * or a category's from every node, tagged with their actor; {@code --follow} goes on with new lines (Server-Sent
 * Events) until Ctrl-C. A name with a dot, or one no node knows as an actor, is read as a category.
 */
@Command(name = "logs", description = "An actor's or a category's recent log lines; --follow goes on with new ones.")
final class LogsCommand extends ClientCommand {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
    .withZone(ZoneOffset.UTC);

  @Parameters(index = "0", paramLabel = "ACTOR|CATEGORY", description = "An actor id or a category.")
  String name;

  @Option(names = {"-r", "--realm"}, description = "Realm (default: global, or the shell's realm).")
  String realm;

  @Option(names = {"-f", "--follow"}, description = "Go on with new lines as they are written, until Ctrl-C.")
  boolean follow;

  @Option(names = "--since", paramLabel = "WHEN", description = "Only lines since: 30s, 5m, 2h, 1d, or epoch ms.")
  String since;

  @Option(names = {"-l", "--level"}, paramLabel = "LEVEL", description = "Lowest level shown: TRACE, DEBUG, INFO, WARN, ERROR.")
  String level;

  @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "At most N recent lines (default 200, at most 10000).")
  Integer limit;

  @Override
  void run() {
    String base = "/v1/realms/" + seg(realm(realm));
    String query = query();
    String path = null;
    JsonObject page = null;
    if (!name.contains(".")) {
      try {
        path = base + "/actors/" + seg(name) + "/logs";
        page = client().get(path + query).object();
      } catch (CliException e) {
        if (e.status() != 404 || !e.getMessage().contains("no actor")) {
          throw e;
        }
        path = null;
      }
    }
    if (path == null) {
      path = base + "/categories/" + seg(name) + "/logs";
      page = follow ? null : client().get(path + query).object();
    }
    if (follow) {
      follow(path + query + (query.isEmpty() ? "?" : "&") + "follow=true");
      return;
    }
    if (json()) {
      printJson(page);
      return;
    }
    page.getJsonArray("lines").forEach(l -> out().println(line((JsonObject) l)));
    long dropped = page.getLong("dropped", 0L);
    if (dropped > 0) {
      err().println("beach: " + dropped + " lines were dropped over node.logLinesPerSecond");
    }
  }

  private String query() {
    StringBuilder q = new StringBuilder();
    add(q, "since", since);
    add(q, "level", level);
    add(q, "limit", limit == null ? null : String.valueOf(limit));
    return q.toString();
  }

  private static void add(StringBuilder q, String key, String value) {
    if (value != null) {
      q.append(q.length() == 0 ? '?' : '&').append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
  }

  /** Reads the event stream line by line until the gateway ends it (or the process is stopped). */
  private void follow(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(client().url() + path)).header("Accept", "text/event-stream");
    if (client().token() != null) {
      b.header("Authorization", "Bearer " + client().token());
    }
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<Stream<String>> r;
    try {
      r = http.send(b.GET().build(), HttpResponse.BodyHandlers.ofLines());
    } catch (ConnectException e) {
      throw new CliException("cannot reach the gateway at " + client().url() + " (is a node running? set --url or BEACH_URL)");
    } catch (IOException e) {
      throw new CliException("talking to the gateway at " + client().url() + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
    try (Stream<String> lines = r.body()) {
      Iterator<String> it = lines.iterator();
      if (r.statusCode() != 200) {
        String body = it.hasNext() ? it.next() : "";
        JsonObject error = object(body).getJsonObject("error");
        throw new CliException(r.statusCode(), "error " + r.statusCode() + ": "
          + (error == null ? body : error.getString("message", body)));
      }
      while (it.hasNext()) {
        String l = it.next();
        if (l.startsWith("data: ")) {
          JsonObject line = object(l.substring(6));
          out().println(json() ? line.encode() : line(line));
          out().flush();
        }
      }
    } catch (java.io.UncheckedIOException e) {
      throw new CliException("the log stream from " + client().url() + " broke: " + e.getMessage());
    }
  }

  /** {@code 2026-01-02 10:11:12.345 WARN  actor  message  [trace ...]} (UTC). */
  static String line(JsonObject l) {
    StringBuilder s = new StringBuilder();
    s.append(TIME.format(Instant.ofEpochMilli(l.getLong("time", 0L)))).append(' ');
    String lvl = l.getString("level", "");
    s.append(lvl).append(" ".repeat(Math.max(1, 6 - lvl.length())));
    s.append(l.getString("actor", "")).append("  ").append(l.getString("message", ""));
    if (Boolean.TRUE.equals(l.getBoolean("truncated"))) {
      s.append(" [truncated]");
    }
    if (l.getString("traceId") != null) {
      s.append("  [trace ").append(l.getString("traceId")).append(']');
    }
    return s.toString();
  }

  private static JsonObject object(String text) {
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return new JsonObject();
    }
  }
}
