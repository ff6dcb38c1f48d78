package dev.beach.launcher;

import dev.beach.launcher.impl.Ports;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.beach.launcher.ClusterProcessIT.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code beach fork N}: N real node JVMs that form one cluster and never outlive the fork process. */
class ForkIT {

  private static final Pattern SUMMARY = Pattern.compile("^  (n\\d+)  pid (\\d+)  node (\\S+)  gateway (\\S+)$");

  @TempDir
  Path dir;

  private BeachProcess fork;
  private final List<Long> children = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    if (fork != null) {
      fork.close();
    }
    for (long pid : children) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private List<String[]> awaitSummary(int n) throws Exception {
    fork.awaitLine(Pattern.compile("beach fork: " + n + " nodes? up"), Duration.ofSeconds(120));
    // The table follows the heading line by line: wait for its last row.
    fork.awaitLine(Pattern.compile("^  n" + n + "  pid "), Duration.ofSeconds(10));
    List<String[]> rows = new ArrayList<>();
    for (String line : fork.output().split("\n")) {
      Matcher m = SUMMARY.matcher(line);
      if (m.find()) {
        rows.add(new String[]{m.group(1), m.group(2), m.group(3), m.group(4)});
        children.add(Long.parseLong(m.group(2)));
      }
    }
    assertEquals(n, rows.size(), fork.output());
    return rows;
  }

  @Test
  void forkStartsOneClusterAndSigtermStopsEveryNode() throws Exception {
    int gateway = Ports.anyFree("127.0.0.1");
    fork = BeachProcess.start("fork", dir, Map.of(), List.of("fork", "2", "--gateway-port", Integer.toString(gateway), "--no-deploy"));
    List<String[]> rows = awaitSummary(2);
    assertEquals("http://127.0.0.1:" + gateway, rows.get(0)[3]);
    assertEquals("off", rows.get(1)[3], "only the first node runs a gateway by default");

    String api = rows.get(0)[3] + "/v1";
    eventually(Duration.ofSeconds(15), () -> ((JsonArray) Http.get(api + "/nodes").json()).size() == 2,
      () -> "one cluster of 2 expected: " + Http.get(api + "/nodes").body());

    assertEquals(0, fork.terminate(Duration.ofSeconds(60)), fork.output());
    for (long pid : children) {
      assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "node pid " + pid + " outlived fork");
    }
  }

  @Test
  void aNodeThatCannotStartFailsTheForkWithItsReason() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "cluster: {heartbeatSeconds: 0}\n");
    fork = BeachProcess.start("forkbad", dir, Map.of(), List.of("fork", "1", "--config", bad.toString()));
    assertEquals(1, fork.awaitExit(Duration.ofSeconds(60)), fork.output());
    assertTrue(fork.output().contains("[n1] beach: invalid configuration: cluster.heartbeatSeconds"), fork.output());
    assertTrue(fork.output().contains("beach fork: not every node started: n1 exited with code 2 before it was ready"),
      fork.output());
  }

  @Test
  void nodesStopWhenTheForkProcessIsKilled() throws Exception {
    fork = BeachProcess.start("fork1", dir, Map.of(), List.of("fork", "1", "--gateway-port", "0", "--no-deploy"));
    long pid = Long.parseLong(awaitSummary(1).get(0)[1]);

    fork.kill9();

    eventually(Duration.ofSeconds(30), () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true),
      () -> "node pid " + pid + " outlived its killed fork process");
  }
}
