package dev.beach.launcher.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static dev.beach.launcher.cli.GatewayClient.seg;

/**
 * {@code beach map <realm> <category> <op> --input in.ndjson}: a job over HTTP. The input file is streamed to
 * the gateway as NDJSON (read only as fast as the workers take it), the results are streamed back as NDJSON
 * lines {@code {i, ok, value|error}} to {@code --output} or standard output, with a progress bar on a terminal
 * (plain progress lines otherwise) and a summary at the end.
 */
@Command(name = "map", description = {"Apply OP to every line (a JSON value) of an NDJSON file with the actors of "
  + "CATEGORY, as a job; write one result line {i, ok, value|error} per input, in input order unless --unordered."})
final class MapCommand extends ClientCommand {

  private static final long POLL_MS = 500;
  private static final long PLAIN_EVERY_MS = 2000;

  @Parameters(index = "0", paramLabel = "REALM", description = "Realm of the workers.")
  String realm;

  @Parameters(index = "1", paramLabel = "CATEGORY", description = "Category whose actors do the work.")
  String category;

  @Parameters(index = "2", paramLabel = "OP", description = "The op each worker applies to one input.")
  String op;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE", description = "NDJSON inputs, one per line.")
  Path input;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where the result lines go (default: standard output).")
  Path output;

  @Option(names = "--unordered", description = "Results in completion order: no waiting for a slow chunk.")
  boolean unordered;

  @Option(names = "--chunk", paramLabel = "N", description = "Inputs per request to a worker (default 100).")
  Integer chunk;

  @Option(names = "--job-timeout", paramLabel = "MS", description = "Fail the job (504) if it runs longer.")
  Long jobTimeout;

  @Override
  void run() {
    if (!Files.isReadable(input) || Files.isDirectory(input)) {
      throw new CliException("cannot read the input file " + input);
    }
    long size = size(input);
    Progress progress = new Progress(err(), System.console() != null, size);
    long t0 = System.nanoTime();
    String id = upload(progress);
    Results results = new Results(id, output == null ? out() : null);
    results.start();
    JsonObject status = null;
    while (results.isAlive()) {
      status = client().get("/v1/jobs/" + seg(id)).object();
      progress.job(status.getJsonObject("progress", new JsonObject()));
      join(results, POLL_MS);
    }
    status = client().get("/v1/jobs/" + seg(id)).object();
    progress.job(status.getJsonObject("progress", new JsonObject()));
    progress.finish();
    if (results.failure.get() != null) {
      throw new CliException("reading the results of job " + id + " failed: " + results.failure.get());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    PrintWriter summary = output == null ? err() : out();
    if (json()) {
      summary.println(status.encodePrettily());
    } else {
      summary.printf(Locale.ROOT, "job %s %s: %d items, %d failed, %.1f s, %.0f items/s%s%n", id,
        status.getString("state"), results.lines.get(), results.failed.get(), seconds, results.lines.get() / Math.max(seconds, 1e-3),
        output == null ? "" : " -> " + output);
    }
    JsonObject error = status.getJsonObject("error");
    if (!"succeeded".equals(status.getString("state"))) {
      throw new CliException("job " + id + " " + status.getString("state")
        + (error == null ? "" : ": error " + error.getInteger("code") + ": " + error.getString("message")));
    }
  }

  /** Streams the input to {@code POST /v1/realms/{realm}/jobs}; the gateway answers 202 once it has read it all. */
  private String upload(Progress progress) {
    StringBuilder q = new StringBuilder("?category=").append(seg(category)).append("&op=").append(seg(op))
      .append("&ordered=").append(!unordered);
    if (chunk != null) {
      q.append("&chunkSize=").append(chunk);
    }
    if (jobTimeout != null) {
      q.append("&jobTimeoutMs=").append(jobTimeout);
    }
    AtomicLong sent = new AtomicLong();
    HttpRequest request = request("/v1/realms/" + seg(realm) + "/jobs" + q)
      .header("Content-Type", "application/x-ndjson")
      .POST(HttpRequest.BodyPublishers.ofInputStream(() -> counting(sent)))
      .build();
    CompletableFuture<HttpResponse<String>> answer = http().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> r;
    while (true) {
      try {
        r = answer.get(POLL_MS, TimeUnit.MILLISECONDS);
        break;
      } catch (TimeoutException e) {
        progress.sending(sent.get());
      } catch (ExecutionException e) {
        throw unreachable(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted");
      }
    }
    progress.sending(sent.get());
    JsonObject body = object(r.body());
    if (r.statusCode() != 202) {
      progress.finish();
      JsonObject error = body.getJsonObject("error", new JsonObject());
      throw new CliException(r.statusCode(), "error " + error.getInteger("code", r.statusCode()) + ": "
        + error.getString("message", r.body()));
    }
    return body.getString("id");
  }

  private InputStream counting(AtomicLong sent) {
    try {
      return new FilterInputStream(Files.newInputStream(input)) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            sent.incrementAndGet();
          }
          return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
          int n = super.read(buf, off, len);
          if (n > 0) {
            sent.addAndGet(n);
          }
          return n;
        }
      };
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Copies the result lines to the output as they come; a closing {@code {"error": ...}} line is not a result. */
  private final class Results extends Thread {
    final String id;
    final PrintWriter stdout;
    final AtomicLong lines = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicReference<String> failure = new AtomicReference<>();

    Results(String id, PrintWriter stdout) {
      super("beach-map-results");
      setDaemon(true);
      this.id = id;
      this.stdout = stdout;
    }

    @Override
    public void run() {
      try {
        HttpResponse<InputStream> r = http().send(request("/v1/jobs/" + seg(id) + "/results").GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
             Writer file = output == null ? null : Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
          if (r.statusCode() != 200) {
            failure.set("HTTP " + r.statusCode() + ": " + in.readLine());
            return;
          }
          Writer to = file != null ? file : stdout;
          String line;
          while ((line = in.readLine()) != null) {
            if (line.startsWith("{\"error\"")) {
              continue; // the job's own end: reported from its status
            }
            to.write(line);
            to.write('\n');
            lines.incrementAndGet();
            if (line.contains("\"ok\":false")) {
              failed.incrementAndGet();
            }
          }
          to.flush();
        }
      } catch (IOException e) {
        failure.set(e.toString());
      } catch (InterruptedException e) {
        failure.set("interrupted");
      }
    }
  }

  /** A bar on a terminal, a line every couple of seconds otherwise; always on standard error. */
  private static final class Progress {
    private final PrintWriter err;
    private final boolean tty;
    private final long inputBytes;
    private long lastPlain;
    private boolean drawn;

    Progress(PrintWriter err, boolean tty, long inputBytes) {
      this.err = err;
      this.tty = tty;
      this.inputBytes = inputBytes;
    }

    void sending(long bytes) {
      double f = inputBytes <= 0 ? 1 : Math.min(1.0, (double) bytes / inputBytes);
      show(f, String.format(Locale.ROOT, "sending inputs %s of %s", mb(bytes), mb(inputBytes)));
    }

    void job(JsonObject p) {
      long done = p.getLong("done", 0L);
      long failed = p.getLong("failed", 0L);
      long total = p.getLong("total", -1L);
      double f = total > 0 ? (double) (done + failed) / total : total == 0 ? 1 : -1;
      show(f, String.format(Locale.ROOT, "%d%s items, %d failed, %.0f items/s", done + failed,
        total >= 0 ? " of " + total : "", failed, p.getDouble("rate", 0.0)));
    }

    private void show(double fraction, String text) {
      long now = System.currentTimeMillis();
      if (tty) {
        StringBuilder bar = new StringBuilder("\r");
        if (fraction >= 0) {
          int filled = (int) Math.round(fraction * 30);
          bar.append('[').append("#".repeat(filled)).append(".".repeat(30 - filled)).append("] ")
            .append(String.format(Locale.ROOT, "%3d%% ", Math.round(fraction * 100)));
        }
        bar.append(text).append("   ");
        err.print(bar);
        err.flush();
        drawn = true;
      } else if (now - lastPlain >= PLAIN_EVERY_MS) {
        lastPlain = now;
        err.println((fraction >= 0 ? Math.round(fraction * 100) + "% " : "") + text);
        err.flush();
      }
    }

    void finish() {
      if (drawn) {
        err.println();
        err.flush();
        drawn = false;
      }
    }

    private static String mb(long bytes) {
      return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(client().url() + path));
    // The resolved client's token: the command's own --token, else the shell session's, else BEACH_TOKEN.
    String token = client().token();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private HttpClient http;

  private HttpClient http() {
    if (http == null) {
      http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }
    return http;
  }

  private CliException unreachable(Throwable t) {
    if (t instanceof ConnectException) {
      return new CliException("cannot reach the gateway at " + client().url() + " (is a node running? set --url or BEACH_URL)");
    }
    return new CliException("talking to the gateway at " + client().url() + " failed: " + t);
  }

  private static JsonObject object(String text) {
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return new JsonObject();
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new CliException("cannot read the input file " + p + ": " + e.getMessage());
    }
  }

  private static void join(Thread t, long ms) {
    try {
      t.join(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }
}
