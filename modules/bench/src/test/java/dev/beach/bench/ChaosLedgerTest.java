package dev.beach.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chaos run's bookkeeping, without processes: each invariant breaks the verdict, and only what should. */
class ChaosLedgerTest {

  private static final int DESIRED = 6;
  private static final long MARGIN = 1000;

  private static String result(long i, long id) {
    return new JsonObject().put("i", i).put("ok", true).put("value", new JsonObject().put("id", id)).encode();
  }

  private static JobCount allBack(long total) {
    JobCount c = new JobCount(total);
    for (long i = 0; i < total; i++) {
      c.line(result(i, i));
    }
    return c;
  }

  @Test
  void aCleanRunKeepsEveryInvariant() {
    ChaosLedger ledger = new ChaosLedger(DESIRED, MARGIN);
    ChaosLedger.Fault kill = ledger.fault("kill -9", "n1", 10_000);
    ledger.listing(11_000, 4, false);
    ledger.listing(16_000, 6, true);
    ledger.back(kill, 20_000);
    ledger.listing(21_000, 6, true);
    ledger.request("one", "n2", 12_000, 2000, "504 TIMEOUT", 2100);
    ledger.request("one", "n2", 12_000, 2000, "200", 40);
    assertEquals(JobCount.Outcome.SUCCEEDED, ledger.job(allBack(1000), JobCount.Outcome.SUCCEEDED, "n3", 0, 30_000));
    ledger.finalListing(DESIRED, "");
    assertEquals(List.of(), ledger.violations());
    JsonObject s = ledger.summary();
    assertTrue(s.getBoolean("ok"), s.encode());
    assertEquals(6000, s.getLong("worst_restore_ms"));
    assertEquals(1000, s.getLong("worst_settle_after_back_ms"));
    assertEquals(1L, s.getJsonObject("requests").getJsonObject("one").getJsonObject("failed").getLong("504 TIMEOUT"));
    assertTrue(ledger.table().contains("all invariants held"), ledger.table());
  }

  @Test
  void aMissingItemOfASucceededJobIsLostButNotOfAFailedOne() {
    JobCount partial = new JobCount(10);
    for (long i = 0; i < 9; i++) {
      partial.line(result(i, i));
    }
    ChaosLedger failedJob = new ChaosLedger(DESIRED, MARGIN);
    JobCount failed = new JobCount(10);
    failed.line(result(0, 0));
    failed.line(new JsonObject().put("error", new JsonObject().put("code", 503).put("message", "no worker left")).encode());
    assertEquals(JobCount.Outcome.FAILED, failed.endedCleanly());
    failedJob.job(failed, failed.endedCleanly(), "n1", 0, 1);
    failedJob.finalListing(DESIRED, "");
    assertEquals(List.of(), failedJob.violations());

    ChaosLedger ledger = new ChaosLedger(DESIRED, MARGIN);
    ledger.job(partial, partial.endedCleanly(), "n1", 0, 1);
    ledger.finalListing(DESIRED, "");
    assertEquals(1, ledger.summary().getLong("items_lost"));
    assertTrue(ledger.violations().get(0).startsWith("1 job items lost"), ledger.violations().toString());
  }

  @Test
  void aResultTwiceOrWithAnotherIdBreaksTheRun() {
    JobCount c = allBack(5);
    c.line(result(3, 3));
    c.line("{\"i\":9,\"ok\":true,\"value\":{\"id\":9}}"); // out of range
    JobCount wrong = new JobCount(2);
    wrong.line(result(0, 1));
    wrong.line(result(1, 1));
    ChaosLedger ledger = new ChaosLedger(DESIRED, MARGIN);
    ledger.job(c, c.endedCleanly(), "n1", 0, 1);
    ledger.job(wrong, wrong.endedCleanly(), "n1", 0, 1);
    ledger.finalListing(DESIRED, "");
    JsonObject s = ledger.summary();
    assertEquals(1, s.getLong("items_duplicated"));
    assertEquals(1, s.getLong("items_wrong_id"));
    assertEquals(0, s.getLong("items_lost"));
    assertEquals(2, ledger.violations().size(), ledger.violations().toString());
  }

  @Test
  void aLateAnswerIsAHangUnlessTheNodeTheClientSpokeToWasOutOfService() {
    ChaosLedger ledger = new ChaosLedger(DESIRED, MARGIN);
    ChaosLedger.Fault stop = ledger.fault("SIGSTOP", "n2", 10_000);
    ledger.back(stop, 20_000);
    // Through the frozen node: late, but the client's own node was frozen. Not counted.
    ledger.request("one", "n2", 9_000, 2000, "200", 11_500);
    // Through a serving node at the same time: the deadline is owed.
    ledger.request("one", "n1", 9_000, 2000, "504 TIMEOUT", 3_500);
    // Within the margin: fine.
    ledger.request("all", "n1", 9_000, 2000, "200", 2_900);
    // A listing has no deadline from the client: never late.
    ledger.request("listing", "n1", 9_000, 0, "200", 9_000);
    ledger.listing(15_000, 6, true);
    ledger.listing(21_000, 6, true);
    ledger.finalListing(DESIRED, "");
    List<String> broken = ledger.violations();
    assertEquals(1, broken.size(), broken.toString());
    assertTrue(broken.get(0).startsWith("1 one requests answered more than 1000 ms past their deadline"), broken.get(0));
    JsonObject one = ledger.summary().getJsonObject("requests").getJsonObject("one");
    assertEquals(1, one.getLong("past_deadline_entry_node_faulted"));
    assertEquals(1500, one.getLong("max_overshoot_ms"));
  }

  @Test
  void aJobCutOffIsInterruptedOnlyWhenItsNodeWasOutOfService() {
    ChaosLedger ledger = new ChaosLedger(DESIRED, MARGIN);
    ledger.fault("kill -9", "n1", 5_000);
    JobCount c = new JobCount(10);
    assertEquals(JobCount.Outcome.INTERRUPTED, ledger.job(c, JobCount.Outcome.INTERRUPTED, "n1", 0, 6_000));
    assertEquals(JobCount.Outcome.INTERRUPTED, ledger.job(c, JobCount.Outcome.STALLED, "n1", 4_000, 70_000));
    assertEquals(JobCount.Outcome.BROKEN, ledger.job(c, JobCount.Outcome.INTERRUPTED, "n2", 0, 6_000));
    assertEquals(JobCount.Outcome.STALLED, ledger.job(c, JobCount.Outcome.STALLED, "n3", 0, 70_000));
    ledger.listing(6_000, 6, true);
    ledger.finalListing(DESIRED, "");
    List<String> broken = ledger.violations();
    assertEquals(2, broken.size(), broken.toString());
    assertTrue(broken.get(0).contains("hung") && broken.get(1).contains("cut off"), broken.toString());
  }

  @Test
  void aFaultNeverRestoredAndExtrasLeftAfterAMergeBreakTheRun() {
    ChaosLedger ledger = new ChaosLedger(DESIRED, MARGIN);
    ChaosLedger.Fault stop = ledger.fault("SIGSTOP", "n3", 1_000);
    ledger.listing(2_000, 6, false);
    ledger.back(stop, 11_000);
    // After the merge the resumed node's actors come back beside their replacements.
    ledger.listing(12_000, 8, false);
    ledger.finalListing(8, "8 listed");
    List<String> broken = ledger.violations();
    assertEquals(2, broken.size(), broken.toString());
    assertTrue(broken.get(0).contains("never restored"), broken.get(0));
    assertTrue(broken.get(1).contains("8 actors were listed"), broken.get(1));
    assertEquals(8, ledger.summary().getInteger("most_listed"));
    assertFalse(ledger.summary().getBoolean("ok"));
  }

  @Test
  void aWholeListingBeforeTheFaultDoesNotRestoreIt() {
    ChaosLedger ledger = new ChaosLedger(DESIRED, MARGIN);
    ledger.listing(500, 6, true);
    ChaosLedger.Fault kill = ledger.fault("kill -9", "n1", 1_000);
    ledger.listing(900, 6, true); // a round taken before the fault, told late
    ledger.finalListing(DESIRED, "");
    assertTrue(kill.restoredAfterMs < 0);
    assertEquals(1, ledger.violations().size(), ledger.violations().toString());
  }
}
