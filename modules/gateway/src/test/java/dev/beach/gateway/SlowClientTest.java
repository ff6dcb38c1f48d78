package dev.beach.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow clients are cut off (slowloris, stalled bodies, answers nobody reads, idle keep-alive), and slow answers
 * are not: a long dispatch and a quiet event stream outlive both timeouts. Timeouts of 500 ms keep it quick.
 */
class SlowClientTest {

  private static final long TIMEOUT_MS = 500;
  private static LiveNode live;
  private static int port;

  @BeforeAll
  static void start() {
    live = LiveNode.start(new GatewayOptions().setHeaderTimeoutMs(TIMEOUT_MS).setIdleTimeoutMs(TIMEOUT_MS)
      .setSseHeartbeatMs(200));
    live.deploy("test", TestActors.Echo.class, "echo", 1);
    live.deploy("test", TestActors.Streamer.class, "numbers", 1);
    live.deploy("test", TestActors.Echo.class, "held", 1); // its mailbox ends up held by a batch that never answers
    port = live.gateway.port();
  }

  @AfterAll
  static void stop() {
    live.close();
  }

  @Test
  void aClientTricklingItsHeadersIsCutOff() throws Exception {
    try (RawHttp c = new RawHttp(port)) {
      long started = System.currentTimeMillis();
      boolean sentAll = c.trickle("GET /v1/nodes HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + "z".repeat(60) + "\r\n\r\n", 50);
      long took = System.currentTimeMillis() - started;
      assertFalse(sentAll, "the gateway waited for the whole head, " + took + " ms");
      assertTrue(took < 4 * TIMEOUT_MS + 1000, "cut after " + took + " ms");
    }
    assertEquals(200, live.http.get("/v1/health").status);
  }

  @Test
  void aConnectionThatSendsNothingOrGoesIdleIsClosed() throws Exception {
    try (RawHttp silent = new RawHttp(port)) {
      assertTrue(silent.closedWithin(4 * TIMEOUT_MS + 1000), "a silent connection stayed open");
    }
    try (RawHttp keepAlive = new RawHttp(port)) {
      keepAlive.write("GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n");
      long started = System.currentTimeMillis();
      assertTrue(keepAlive.closedWithin(4 * TIMEOUT_MS + 2000), "an idle keep-alive connection stayed open");
      assertTrue(System.currentTimeMillis() - started >= TIMEOUT_MS - 100, "closed before the timeout");
    }
  }

  @Test
  void aBodyThatStopsArrivingIsAnswered408() throws Exception {
    try (RawHttp c = new RawHttp(port)) {
      c.write("POST /v1/realms/test/categories/echo/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: 100\r\n\r\n{\"a\":");
      c.soTimeout((int) (4 * TIMEOUT_MS + 2000));
      RawHttp.Reply r = c.readToEnd();
      assertEquals(408, r.status, r.toString());
      assertTrue(r.body.contains("gateway.idleTimeoutMs"), r.toString());
      assertTrue(r.closed, "the connection stays open after 408");
    }
  }

  @Test
  void aJobUploadItsJobHoldsBackIsNotCut() throws Exception {
    try (RawHttp c = new RawHttp(port)) {
      // Items nobody answers, and more bytes than the socket buffers and the job's read-ahead hold: the job stops
      // reading the body, on purpose, for as long as its chunks are out.
      long size = 16L * 1024 * 1024;
      c.write("POST /v1/realms/test/jobs?category=held&op=never&chunkTimeoutMs=600000 HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Type: application/x-ndjson\r\nContent-Length: " + size + "\r\n\r\n");
      Thread writer = new Thread(() -> {
        String lines = "1\n".repeat(32 * 1024);
        try {
          for (long sent = 0; sent < size; sent += lines.length()) {
            c.write(lines);
          }
        } catch (java.io.IOException e) {
          // the connection closed: what the reply says is what the test checks
        }
      }, "upload");
      writer.setDaemon(true);
      writer.start();
      c.soTimeout((int) (8 * TIMEOUT_MS));
      RawHttp.Reply held = c.readToEnd();
      assertEquals(0, held.status, "the gateway answered an upload its job holds back: " + held);

      Http.Response jobs = live.http.get("/v1/jobs?realm=test");
      String id = new io.vertx.core.json.JsonArray(jobs.body).stream().map(j -> (io.vertx.core.json.JsonObject) j)
        .filter(j -> "running".equals(j.getString("state")) && "never".equals(j.getString("op")))
        .map(j -> j.getString("id")).findFirst().orElseThrow(() -> new AssertionError("no running job: " + jobs));
      assertEquals(200, live.http.delete("/v1/jobs/" + id).status);
      c.soTimeout(10_000);
      RawHttp.Reply cancelled = c.readToEnd();
      assertEquals(409, cancelled.status, "the upload's answer once its job is cancelled: " + cancelled);
    }
  }

  @Test
  void anAnswerNobodyReadsIsCut() throws Exception {
    try (RawHttp c = new RawHttp(port, 4096)) {
      // Far more than the socket buffers hold: the gateway's write queue fills while this client does not read.
      String body = "{\"n\":300,\"size\":65536}";
      c.write("POST /v1/realms/test/categories/numbers/blobs?mode=stream HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
      Thread.sleep(6 * TIMEOUT_MS + 2000);
      c.soTimeout(10_000);
      RawHttp.Reply r = c.readToEnd();
      assertTrue(r.closed, "still open");
      assertEquals(200, r.status);
      assertFalse(r.body.endsWith("0\r\n\r\n"), "the whole answer was sent: " + r.body.length() + " bytes");
    }
    assertEquals(200, live.http.get("/v1/health").status);
  }

  @Test
  void slowAnswersAndQuietStreamsAreNotCut() throws Exception {
    Http.Response slow = live.http.post("/v1/realms/test/categories/echo/slow?timeout=5000", "{\"ms\":" + 4 * TIMEOUT_MS + "}");
    assertEquals(200, slow.status, slow.toString());
    try (SseClient events = SseClient.open(live.http.base() + "/v1/events?type=nothing.at.all", null)) {
      assertEquals(200, events.status);
      int pings = 0;
      long started = System.currentTimeMillis();
      while (pings < 10 && events.awaitLine(": ping"::equals, 2000) != null) {
        pings++;
      }
      assertEquals(10, pings, "the stream stopped after " + (System.currentTimeMillis() - started) + " ms");
    }
    byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    assertEquals(200, live.http.send("POST", "/v1/realms/test/categories/echo/echo", body, "application/json").status);
  }
}
