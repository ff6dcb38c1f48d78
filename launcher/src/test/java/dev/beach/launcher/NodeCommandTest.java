package dev.beach.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeCommandTest {

  private static JsonObject flags(String... args) {
    NodeCommand cmd = new NodeCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd.flags();
  }

  @Test
  void onlyGivenFlagsBecomeConfiguration() {
    assertEquals(new JsonObject(), flags());
    assertEquals(new JsonObject().put("cluster", new JsonObject().put("port", 5702)), flags("--port", "5702"));
  }

  @Test
  void flagsUseTheYamlLayout() {
    JsonObject f = flags("--host", "10.0.0.5", "--seeds", "10.0.0.6:5701,10.0.0.7:5701", "--tags", "gpu,big",
      "--code", "realms", "--gateway-port", "0", "--name", "prod");
    assertEquals("10.0.0.5", f.getJsonObject("cluster").getString("host"));
    assertEquals("prod", f.getJsonObject("cluster").getString("name"));
    assertEquals(new JsonArray().add("10.0.0.6:5701").add("10.0.0.7:5701"), f.getJsonObject("cluster").getJsonArray("seeds"));
    assertEquals(new JsonArray().add("gpu").add("big"), f.getJsonObject("node").getJsonArray("tags"));
    assertEquals(Path.of("realms").toAbsolutePath().toString(), f.getJsonObject("node").getString("codeDir"));
    assertEquals(0, f.getJsonObject("gateway").getInteger("port"));
  }

  @Test
  void noGatewayDisablesIt() {
    assertEquals(false, flags("--no-gateway").getJsonObject("gateway").getBoolean("enabled"));
  }

  @Test
  void unknownFlagIsAUsageError() {
    int code = Main.commandLine().execute("node", "--prot", "5701");
    assertEquals(2, code);
  }

  @Test
  void forkRefusesAnImpossibleCount() {
    assertEquals(2, Main.commandLine().execute("fork", "0"));
    assertEquals(2, Main.commandLine().execute("fork", "17"));
  }

  @Test
  void everyCommandIsListed() {
    CommandLine cl = Main.commandLine();
    assertTrue(cl.getSubcommands().keySet().containsAll(java.util.List.of("node", "fork", "bench", "certs", "status", "shell")));
  }
}
