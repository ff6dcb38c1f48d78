package dev.beach.compute;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobOptionsTest {

  @Test
  void defaultsAreTheNamedConstants() {
    JobOptions o = new JobOptions();
    assertEquals(JobOptions.DEFAULT_CHUNK_SIZE, o.getChunkSize());
    assertEquals(JobOptions.DEFAULT_IN_FLIGHT_PER_WORKER, o.getInFlightPerWorker());
    assertEquals(JobOptions.DEFAULT_RETRIES, o.getRetries());
    assertEquals(JobOptions.DEFAULT_CHUNK_TIMEOUT_MS, o.getChunkTimeoutMs());
    assertEquals(JobOptions.DEFAULT_JOB_TIMEOUT_MS, o.getJobTimeoutMs());
    assertEquals(JobOptions.DEFAULT_ORDERED, o.isOrdered());
    assertEquals(JobOptions.DEFAULT_MAX_BUFFERED_RESULTS, o.getMaxBufferedResults());
    assertEquals(o.toJson(), new JobOptions(new JsonObject()).toJson());
  }

  @Test
  void roundTripsJson() {
    JobOptions o = new JobOptions().setChunkSize(7).setInFlightPerWorker(3).setRetries(0).setChunkTimeoutMs(1234)
      .setJobTimeoutMs(99_000).setOrdered(false).setMaxBufferedResults(42);
    JobOptions back = new JobOptions(o.toJson());
    assertEquals(o.toJson(), back.toJson());
    assertEquals(o.toJson(), new JobOptions(back).toJson());
    // A whole job request is accepted: fields that are not options are ignored.
    JsonObject request = o.toJson().put("category", "math").put("op", "square").put("inputs", new io.vertx.core.json.JsonArray());
    assertEquals(o.toJson(), new JobOptions(request).toJson());
  }

  @Test
  void badValuesFailWith400SayingWhatIsAllowed() {
    BeachException e = assertThrows(BeachException.class, () -> new JobOptions(new JsonObject().put("chunkSize", 0)));
    assertEquals(ErrorCode.BAD_REQUEST, e.code());
    assertEquals("chunkSize must be between 1 and 100000, not 0", e.getMessage());
    e = assertThrows(BeachException.class, () -> new JobOptions(new JsonObject().put("retries", "many")));
    assertTrue(e.getMessage().startsWith("retries must be an integer between 0 and 100"), e.getMessage());
    e = assertThrows(BeachException.class, () -> new JobOptions(new JsonObject().put("ordered", "yes")));
    assertEquals("ordered must be true or false, not yes", e.getMessage());
    e = assertThrows(BeachException.class, () -> new JobOptions().setChunkTimeoutMs(0));
    assertTrue(e.getMessage().startsWith("chunkTimeoutMs must be between 1"), e.getMessage());
    assertThrows(BeachException.class, () -> new JobOptions().setJobTimeoutMs(-1));
    assertThrows(BeachException.class, () -> new JobOptions().setInFlightPerWorker(0));
    assertThrows(BeachException.class, () -> new JobOptions().setMaxBufferedResults(0));
  }
}
