package dev.beach.gateway;

import dev.beach.Actor;
import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.NodeOptions;
import dev.beach.compute.Jobs;
import dev.beach.gateway.impl.ApiRouter;
import dev.beach.gateway.impl.Auth;
import dev.beach.gateway.impl.JobRoutes;
import dev.beach.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job routes on a router of their own (the gateway's plumbing: auth, errors, body limits), with an admin
 * token and a token for realm {@code other}.
 */
class JobRoutesTest {

  private static final String REALM = "jobs";
  private static final String ADMIN = "admin-secret";
  private static final String OTHER = "other-secret";
  private static Vertx vertx;
  private static BeachNode node;
  private static HttpServer server;
  private static Http admin;
  private static Http other;
  private static Http anonymous;

  /** square: n → n²; slow: n → n² after 20 ms. */
  public static class Squares extends Actor {
    @Override
    public Future<?> start() {
      on("square", req -> {
        long n = ((Number) req.body()).longValue();
        req.reply(n * n);
      });
      on("slow", req -> {
        long n = ((Number) req.body()).longValue();
        after(20, t -> req.reply(n * n));
      });
      return super.start();
    }
  }

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    node = Await.result(BeachNode.start(vertx, new NodeOptions().setDrainTimeoutMs(500)));
    Await.result(node.beach().deploy(ActorSpec.of(REALM, Squares.class, "math").setInstances(3)));
    GatewayOptions options = new GatewayOptions().setAdminToken(ADMIN).putRealmToken("other", OTHER);
    ApiRouter api = new ApiRouter(vertx, new Auth(options));
    JobRoutes.mount(api, node.beach(), Jobs.create(node), 10_000, new QuotaOptions());
    api.finish();
    server = Await.result(vertx.createHttpServer().requestHandler(api.router()).listen(0, "127.0.0.1"));
    anonymous = new Http("http://127.0.0.1:" + server.actualPort());
    admin = anonymous.withToken(ADMIN);
    other = anonymous.withToken(OTHER);
  }

  @AfterAll
  static void stop() {
    Await.result(server.close());
    Await.result(node.close());
    Await.result(vertx.close());
  }

  private static JsonObject awaitEnd(String id) {
    AtomicReference<JsonObject> status = new AtomicReference<>();
    Await.until("job " + id + " to end", Duration.ofSeconds(30), () -> {
      status.set(admin.get("/v1/jobs/" + id).json());
      return !"running".equals(status.get().getString("state"));
    });
    return status.get();
  }

  private static List<JsonObject> lines(String ndjson) {
    List<JsonObject> out = new ArrayList<>();
    for (String line : ndjson.split("\n")) {
      if (!line.isBlank()) {
        out.add(new JsonObject(line));
      }
    }
    return out;
  }

  @Test
  void aJsonJobAnswers202ThenItsStatusAndItsResultsInOrder() {
    JsonArray inputs = new JsonArray();
    for (int i = 0; i < 100; i++) {
      inputs.add(i);
    }
    Http.Response r = admin.post("/v1/realms/" + REALM + "/jobs", new JsonObject().put("category", "math")
      .put("op", "square").put("inputs", inputs).put("chunkSize", 7).encode());
    assertEquals(202, r.status, r.body);
    String id = r.json().getString("id");
    assertEquals("/v1/jobs/" + id + "/results", r.json().getString("results"));
    JsonObject status = awaitEnd(id);
    assertEquals("succeeded", status.getString("state"), status.encode());
    assertEquals(100L, status.getJsonObject("progress").getLong("done"));
    assertEquals(7, status.getJsonObject("options").getInteger("chunkSize"));
    Http.Response results = admin.get("/v1/jobs/" + id + "/results");
    assertEquals(200, results.status);
    assertEquals("application/x-ndjson", results.header("content-type"));
    List<JsonObject> lines = lines(results.body);
    assertEquals(100, lines.size());
    for (int i = 0; i < 100; i++) {
      assertEquals(new JsonObject().put("i", i).put("ok", true).put("value", (long) i * i), lines.get(i));
    }
    assertEquals(results.body, admin.get("/v1/jobs/" + id + "/results").body, "results can be read again");
    assertTrue(admin.get("/v1/jobs").array().stream().anyMatch(j -> id.equals(((JsonObject) j).getString("id"))));
  }

  @Test
  void anNdjsonBodyIsStreamedIntoTheJobWhateverItsSize() throws Exception {
    int n = 50_000;
    // Far above the 10,000-byte body limit: NDJSON is streamed, not buffered.
    InputStream body = new InputStream() {
      private byte[] line = new byte[0];
      private int pos;
      private int next;

      @Override
      public int read() {
        if (pos == line.length) {
          if (next > n) {
            return -1;
          }
          line = ((next == 77 ? "not json" : Integer.toString(next)) + "\n").getBytes(StandardCharsets.UTF_8);
          next++;
          pos = 0;
          if (next > n) {
            line = new byte[0];
            return -1;
          }
        }
        return line[pos++];
      }
    };
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(admin.base() + "/v1/realms/" + REALM
        + "/jobs?category=math&op=square&ordered=false&chunkSize=100"))
      .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/x-ndjson")
      .timeout(Duration.ofSeconds(60))
      .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(202, r.statusCode(), r.body());
    String id = new JsonObject(r.body()).getString("id");
    List<JsonObject> lines = lines(admin.get("/v1/jobs/" + id + "/results").body);
    assertEquals(n, lines.size());
    BitSet seen = new BitSet(n);
    for (JsonObject line : lines) {
      int i = line.getInteger("i");
      assertFalse(seen.get(i), "index " + i + " twice");
      seen.set(i);
      if (i == 77) {
        assertFalse(line.getBoolean("ok"));
        assertEquals(400, line.getJsonObject("error").getInteger("code"));
        assertTrue(line.getJsonObject("error").getString("message").contains("line 78 is not JSON"), line.encode());
      } else {
        assertEquals((long) i * i, line.getLong("value"));
      }
    }
    JsonObject status = admin.get("/v1/jobs/" + id).json();
    assertEquals("succeeded", status.getString("state"));
    assertFalse(status.getJsonObject("options").getBoolean("ordered"));
    assertEquals((long) n, status.getJsonObject("progress").getLong("total"));
  }

  @Test
  void deleteCancelsARunningJobThenForgetsIt() {
    JsonArray inputs = new JsonArray();
    for (int i = 0; i < 2000; i++) {
      inputs.add(i);
    }
    String id = admin.post("/v1/realms/" + REALM + "/jobs", new JsonObject().put("category", "math").put("op", "slow")
      .put("inputs", inputs).put("chunkSize", 5).encode()).json().getString("id");
    Http.Response cancelled = admin.delete("/v1/jobs/" + id);
    assertEquals(200, cancelled.status, cancelled.body);
    assertEquals("cancelled", cancelled.json().getString("state"));
    assertEquals(409, cancelled.json().getJsonObject("error").getInteger("code"));
    List<JsonObject> lines = lines(admin.get("/v1/jobs/" + id + "/results").body);
    JsonObject last = lines.get(lines.size() - 1);
    assertEquals(409, last.getJsonObject("error").getInteger("code"), "a job that did not succeed ends with an error line");
    assertTrue(lines.size() - 1 < 2000);
    Http.Response removed = admin.delete("/v1/jobs/" + id);
    assertEquals(200, removed.status);
    assertTrue(removed.json().getBoolean("removed"));
    assertEquals(404, admin.get("/v1/jobs/" + id).status);
  }

  @Test
  void badRequestsAreAnsweredWithWhatToFix() {
    String path = "/v1/realms/" + REALM + "/jobs";
    assertBad(admin.post(path, "{\"op\": \"square\", \"inputs\": [1]}"), 400, "the job needs 'category'");
    assertBad(admin.post(path, "{\"category\": \"math\", \"inputs\": [1]}"), 400, "the job needs 'op'");
    assertBad(admin.post(path, "{\"category\": \"math\", \"op\": \"square\", \"inputs\": 5}"), 400, "inputs must be a JSON array");
    assertBad(admin.post(path, "{\"category\": \"math\", \"op\": \"square\", \"inputs\": [1], \"chunksize\": 5}"), 400,
      "unknown field(s) [chunksize]");
    assertBad(admin.post(path, "{\"category\": \"math\", \"op\": \"square\", \"inputs\": [1], \"chunkSize\": 0}"), 400,
      "chunkSize must be between 1 and 100000, not 0");
    assertBad(admin.post(path, "{\"category\": \"Math!\", \"op\": \"square\", \"inputs\": [1]}"), 400, "must match");
    assertBad(admin.post(path, "{not json"), 400, "malformed JSON");
    assertBad(admin.send("POST", path, "1\n2\n".getBytes(StandardCharsets.UTF_8), "text/plain"), 415, "application/x-ndjson");
    assertBad(admin.send("POST", path + "?category=math", "1\n".getBytes(StandardCharsets.UTF_8), "application/x-ndjson"),
      400, "the job needs 'op'");
    assertBad(admin.send("POST", path + "?category=math&op=square&retries=x", "1\n".getBytes(StandardCharsets.UTF_8),
      "application/x-ndjson"), 400, "'retries'");
    assertBad(admin.post(path, "{\"category\": \"nobody\", \"op\": \"square\", \"inputs\": [1]}"), 503, "no actor in category 'nobody'");
    assertBad(admin.post("/v1/realms/Bad!/jobs", "{}"), 400, "invalid realm");
    StringBuilder big = new StringBuilder("{\"category\": \"math\", \"op\": \"square\", \"inputs\": [");
    for (int i = 0; i < 5000; i++) {
      big.append(i).append(',');
    }
    big.append("0]}");
    assertBad(admin.post(path, big.toString()), 413, "stream bigger inputs as NDJSON");
    assertBad(admin.get("/v1/jobs/job-nosuchjob"), 404, "no job 'job-nosuchjob'");
    assertBad(admin.get("/v1/jobs/job-nosuchjob/results"), 404, "no job");
    assertBad(admin.delete("/v1/jobs/job-nosuchjob"), 404, "no job");
  }

  @Test
  void realmTokensSeeOnlyTheirRealmsJobs() {
    String id = admin.post("/v1/realms/" + REALM + "/jobs", "{\"category\": \"math\", \"op\": \"square\", \"inputs\": [1, 2]}")
      .json().getString("id");
    // Another realm's job is not there at all: a 403 would confirm the id and name its realm.
    Http.Response hidden = other.get("/v1/jobs/" + id);
    assertBad(hidden, 404, "no job '" + id + "'");
    assertFalse(hidden.body.contains(REALM), hidden.body);
    assertBad(other.get("/v1/jobs/" + id + "/results"), 404, "no job");
    assertBad(other.delete("/v1/jobs/" + id), 404, "no job");
    assertEquals(0, other.get("/v1/jobs").array().size());
    assertBad(other.post("/v1/realms/" + REALM + "/jobs", "{}"), 403, "may not act");
    assertBad(anonymous.get("/v1/jobs/" + id), 401, "needs a token");
    assertBad(anonymous.post("/v1/realms/" + REALM + "/jobs", "{}"), 401, "needs a token");
    assertEquals(200, admin.get("/v1/jobs/" + id).status);
  }

  private static void assertBad(Http.Response r, int status, String text) {
    assertEquals(status, r.status, r.body);
    String message = r.error().getString("message");
    assertTrue(message.contains(text), "'" + message + "' should say '" + text + "'");
    assertEquals(status, r.error().getInteger("code"));
  }
}
