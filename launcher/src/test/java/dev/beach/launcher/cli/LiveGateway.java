package dev.beach.launcher.cli;

import dev.beach.BeachNode;
import dev.beach.NodeOptions;
import dev.beach.gateway.Gateway;
import dev.beach.gateway.GatewayOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One in-JVM node with a gateway on a free port, and a way to run client commands against it. */
final class LiveGateway implements AutoCloseable {

  final Vertx vertx;
  final BeachNode node;
  final Gateway gateway;
  final String url;
  final String token;

  private LiveGateway(Vertx vertx, BeachNode node, Gateway gateway, String token) {
    this.vertx = vertx;
    this.node = node;
    this.gateway = gateway;
    this.url = "http://127.0.0.1:" + gateway.port();
    this.token = token;
  }

  static LiveGateway start(String adminToken) {
    Vertx vertx = Vertx.vertx();
    try {
      BeachNode node = await(BeachNode.start(vertx, new NodeOptions().setRequestTimeoutMs(5000).setDrainTimeoutMs(500)));
      Gateway gateway = await(Gateway.start(node, new GatewayOptions().setPort(0).setAdminToken(adminToken)));
      return new LiveGateway(vertx, node, gateway, adminToken);
    } catch (RuntimeException | Error e) {
      vertx.close();
      throw e;
    }
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** What a command printed and returned. */
  static final class Result {
    final int code;
    final String out;
    final String err;

    Result(int code, String out, String err) {
      this.code = code;
      this.out = out;
      this.err = err;
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  /** Runs {@code beach <command> [args]} against this gateway with its token. */
  Result run(String command, String... args) {
    List<String> all = new ArrayList<>();
    all.add(command);
    all.addAll(List.of("--url", url));
    if (token != null) {
      all.addAll(List.of("--token", token));
    }
    all.addAll(Arrays.asList(args));
    return runRaw(all.toArray(new String[0]));
  }

  static Result runRaw(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ClientCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Override
  public void close() {
    try {
      await(gateway.close());
      await(node.close());
    } finally {
      await(vertx.close());
    }
  }
}
